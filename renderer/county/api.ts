// The console's typed client over the contract (county/console/contract.ts): `call('route', input)`
// for JSON, `download`/`fetchFile` for PDF, xlsx and sync files. Types re-exported for the screens.
export { call, download, fetchFile, saveFile, type FileAnswer } from './http';
export type * from '../../county/console/types';
export { ROLES, AUDIT_KINDS } from '../../county/console/types';
export type { ConsoleInput, ConsoleOutputs, ConsoleRoute } from '../../county/console/contract';
