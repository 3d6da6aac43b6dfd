/** Live sessions over SSH (and later other transports). */
export const sessionMethods = {} as const;
