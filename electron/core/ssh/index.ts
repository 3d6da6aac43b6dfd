/** SSH transport: the only place that knows a session runs over SSH. */
export { openSshTransport, type SshTransportOptions } from './transport';
export { listHosts, resolveTarget, defaultConfigSource, type ConfigSource, type SshTarget, type SshHostEntry } from './config';
export { SshError } from './connect';
export { PrivilegeError } from './privilege';
