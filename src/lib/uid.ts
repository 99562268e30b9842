import { randomInt } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = LETTERS + '0123456789';

/** A DHIS2-style UID: 11 characters, a letter first, so ids exchange with DHIS2 unchanged. */
export function newUid(): string {
  let uid = LETTERS[randomInt(LETTERS.length)]!;
  for (let i = 1; i < 11; i++) uid += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return uid;
}

/** True for a string of DHIS2 UID form. */
export function isUid(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]{10}$/.test(s);
}
