// The one error type every layer throws: a code for programs and a message meant for the user (plain Chinese).
export type ErrorCode =
  | 'invalid_input'
  | 'not_signed_in'
  | 'not_initialized'
  | 'not_found'
  | 'conflict'
  | 'refused'
  | 'throttled'
  | 'internal'
  /** The screen could not reach the local service at all (it is not running, or the channel broke). */
  | 'unreachable';

/** An error whose message is meant for the user (plain Chinese). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
