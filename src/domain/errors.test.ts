import { describe, expect, it } from 'vitest';
import { describeIssues, invalidInput, isSecretField } from './errors.js';
import { z, zodIssues } from './validation.js';

describe('secrets in input issues', () => {
  it('knows the fields that hold secrets', () => {
    for (const f of ['password', 'currentPassword', 'newPassword', 'users.0.password', 'token', 'csrfToken', 'clientSecret', 'apiKey', 'passphrase'])
      expect(isSecretField(f), f).toBe(true);
    for (const f of ['email', 'scopes.0', 'name', 'value', undefined]) expect(isSecretField(f), String(f)).toBe(false);
  });

  it('never echoes the value of a secret field, in the message or the details', () => {
    const issues = [
      { field: 'newPassword', value: 'MySecret9', message: 'must be at least 10 characters' },
      { field: 'email', value: 'not-an-email', message: 'is not an email address' },
    ];
    expect(describeIssues(issues)).toBe('field "newPassword": must be at least 10 characters; field "email": is not an email address (value "not-an-email")');
    const err = invalidInput('user', issues);
    expect(err.message).toBe('invalid user: newPassword: must be at least 10 characters; email: is not an email address (value "not-an-email")');
    expect(JSON.stringify(err.details)).not.toContain('MySecret9');
    expect(err.details).toEqual([{ field: 'newPassword', message: 'must be at least 10 characters' }, issues[1]]);
  });

  it('leaves the value of a secret out of zod issues', () => {
    const schema = z.object({ email: z.string().min(5), password: z.string().min(10) });
    const input = { email: 'x@y', password: 'MySecret9' };
    const issues = zodIssues(schema.safeParse(input).error!, input, 'body');
    expect(issues).toEqual([
      { field: 'email', value: 'x@y', message: 'must be at least 5 characters', code: 'too_small' },
      { field: 'password', message: 'must be at least 10 characters', code: 'too_small' },
    ]);
  });
});
