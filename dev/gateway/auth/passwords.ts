// bcrypt as GoTrue stores it (cost 10). bcryptjs writes `$2b$` and verifies `$2a$`/`$2b$`/`$2y$` alike.
import bcrypt from "bcryptjs";

const COST = 10;
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** Compares even when there is no stored hash, so an unknown email costs as much time as a wrong password. */
export async function passwordMatches(password: string, storedHash: string | null | undefined): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= bcrypt.hash(crypto.randomUUID(), COST);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  try {
    return await bcrypt.compare(password, storedHash);
  } catch {
    return false; // a malformed stored hash is a failed login, not a server error
  }
}
