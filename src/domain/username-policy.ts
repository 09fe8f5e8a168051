/** What a user name may look like (Django's rule): 1 to 150 letters, digits and `@ . + - _`. */

export const MAX_USERNAME_LENGTH = 150;

/** Returns what is wrong with `username`, or null when it is acceptable. */
export function checkUsername(username: string): string | null {
  if (username.length === 0) return 'The username must not be empty.';
  if (username.length > MAX_USERNAME_LENGTH) {
    return `The username must contain at most ${MAX_USERNAME_LENGTH} characters.`;
  }
  if (!/^[\p{L}\p{N}@.+\-_]+$/u.test(username)) {
    return 'The username may contain only letters, digits and @ . + - _ characters.';
  }
  return null;
}
