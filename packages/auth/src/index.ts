// @takt/auth: password hashing and opaque secrets, shared by the API and the seed.
export { hashPassword, verifyPassword } from './password.ts';
export { generateSecret, hashSecret } from './token.ts';
