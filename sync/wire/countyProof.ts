// The county proves it holds its private key before a village sends it anything (issue 8: "uploads
// only to a server that proves it holds the matching private key; an impostor gets nothing").
//
// The village makes a fresh random nonce for every sync round, the county signs
//   "daibantong-county-proof|v1|<nonce>|<county code>|<point code>"
// with its Ed25519 key, and the village checks the signature against the county key it pinned at
// enrolment. The prefix keeps this signature from ever passing as a container or a retire signature,
// and the nonce is never reused, so an answer captured from the real county does not help an impostor.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { countyCode, pointCode } from './protocol';
import { signBytes, verifyBytes } from './keys';

export const CHALLENGE_NONCE_BYTES = 32;

/** The request body of `POST /v1/challenge`: strict, nothing else accepted. */
export const challengeRequest = z.strictObject({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/), // 32 bytes, base64url without padding
  county: countyCode,
  point: pointCode,
});
export type ChallengeRequest = z.infer<typeof challengeRequest>;

export const challengeAnswer = z.strictObject({
  ok: z.literal(true),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});

export function newNonce(): string {
  return randomBytes(CHALLENGE_NONCE_BYTES).toString('base64url');
}

export function proofMessage(req: ChallengeRequest): Buffer {
  return Buffer.from(`daibantong-county-proof|v1|${req.nonce}|${req.county}|${req.point}`, 'utf8');
}

/** County side: the signature over the challenge with the county's private key (base64 PKCS8). */
export function signCountyProof(countyPrivateKey: string, req: ChallengeRequest): string {
  return signBytes(countyPrivateKey, proofMessage(req));
}

/** Village side: true only when the county key pinned at enrolment signed exactly this challenge. */
export function verifyCountyProof(pinnedCountyKey: string, req: ChallengeRequest, signature: string): boolean {
  return verifyBytes(pinnedCountyKey, proofMessage(req), signature);
}
