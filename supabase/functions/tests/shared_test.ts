// _shared building blocks that the function tests exercise only indirectly: token encryption with rotation and
// binding, the error wrapper, and the database helpers' role switching.
import assert from "node:assert/strict";
import { decryptSecret, encryptSecret, randomToken, sha256Hex } from "../_shared/crypto.ts";
import { asService, asUser } from "../_shared/db.ts";
import { AppError } from "../_shared/errors.ts";
import { router, withErrorHandling } from "../_shared/http.ts";
import { ADMIN, closeAll, request, test, withEnv } from "./helpers.ts";

const key = (byte: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));

test("crypto: encrypts to v1:<iv>:<ciphertext>, fresh IV each time, and decrypts back", async () => {
  const a = await encryptSecret("s3cret", "aad");
  const b = await encryptSecret("s3cret", "aad");
  assert.notEqual(a, b);
  assert.match(a, /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
  assert.equal(await decryptSecret(a, "aad"), "s3cret");
});

test("crypto: a ciphertext bound to one row/purpose does not decrypt as another, and tampering is detected", async () => {
  const sealed = await encryptSecret("token", "team_integrations:t1:fathom:access_token");
  await assert.rejects(decryptSecret(sealed, "team_integrations:t2:fathom:access_token"));
  await assert.rejects(decryptSecret(sealed, "team_integrations:t1:fathom:refresh_token"));
  const [v, iv, body] = sealed.split(":");
  const flipped = body.slice(0, -2) + (body.at(-2) === "A" ? "B" : "A") + body.at(-1);
  await assert.rejects(decryptSecret(`${v}:${iv}:${flipped}`, "team_integrations:t1:fathom:access_token"));
  await assert.rejects(decryptSecret("garbage", "x"));
});

test("crypto: key rotation: the first key encrypts, every listed key decrypts, unknown versions fail", async () => {
  const old = await withEnv({ TOKEN_ENCRYPTION_KEY: `v1:${key(1)}` }, () => encryptSecret("old", "aad"));
  await withEnv({ TOKEN_ENCRYPTION_KEY: `v2:${key(2)},v1:${key(1)}` }, async () => {
    assert.equal(await decryptSecret(old, "aad"), "old");
    assert.ok((await encryptSecret("new", "aad")).startsWith("v2:"));
  });
  await withEnv({ TOKEN_ENCRYPTION_KEY: `v2:${key(2)}` }, async () => {
    await assert.rejects(decryptSecret(old, "aad"), /no key for version v1/);
  });
  // same version label, different key material: authentication fails
  await withEnv({ TOKEN_ENCRYPTION_KEY: `v1:${key(9)}` }, async () => {
    await assert.rejects(decryptSecret(old, "aad"));
  });
});

test("crypto: a missing or malformed TOKEN_ENCRYPTION_KEY is refused", async () => {
  for (const bad of [undefined, "nokey", `v1:${btoa("short")}`, `v1:${key(1)},v1:${key(2)}`]) {
    await withEnv({ TOKEN_ENCRYPTION_KEY: bad }, async () => {
      await assert.rejects(encryptSecret("x", "aad"), { name: "KeyConfigError" });
    });
  }
});

test("crypto: randomToken is 256-bit base64url and sha256Hex is SHA-256", async () => {
  const tokens = new Set(Array.from({ length: 50 }, () => randomToken()));
  assert.equal(tokens.size, 50);
  for (const t of tokens) assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("http: an unexpected error is a 500 internal_error with a generic message (nothing leaks)", async () => {
  const handler = withErrorHandling(router([{
    method: "GET",
    path: "/x/:id",
    handler: (_req, params) => {
      if (params.id === "app") throw new AppError("forbidden", "No.");
      throw new Error(`database password is hunter2 (${params.id})`);
    },
  }]));
  const original = console.error;
  const logged: string[] = [];
  console.error = (...args: unknown[]) => logged.push(args.join(" "));
  try {
    const res = await handler(request("/x/boom"));
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.error.code, "internal_error");
    assert.doesNotMatch(body.error.message, /hunter2|boom/);
    assert.equal(logged.length, 1);
    const app = await handler(request("/x/app"));
    assert.equal(app.status, 403);
    assert.deepEqual(await app.json(), { error: { code: "forbidden", message: "No." } });
  } finally {
    console.error = original;
  }
});

test("db: asUser runs as `authenticated` with the caller's claims; asService as service_role", async () => {
  const user = await asUser(
    { sub: ADMIN, role: "authenticated" },
    (tx) => tx`select current_user as role, auth.uid() as uid`,
  );
  assert.deepEqual([...user], [{ role: "authenticated", uid: ADMIN }]);
  const service = await asService((tx) => tx`select current_user as role, auth.uid() as uid`);
  assert.deepEqual([...service], [{ role: "service_role", uid: null }]);
  // a failure inside rolls the whole transaction back
  await assert.rejects(asService(async (tx) => {
    await tx`update public.teams set name = 'Renamed' where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'`;
    throw new Error("abort");
  }));
  const [team] = await asService((tx) => tx`select name from public.teams where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'`);
  assert.equal(team.name, "Demo Team");
});

test("cleanup: close the pool", closeAll);
