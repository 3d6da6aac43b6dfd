/** Policy drafts, diffs, merge, audit and export. */
export const policyMethods = {} as const;
