/**
 * 1. Verify, in process: `@auth/core` `authenticate()` against jose, fast-jwt (with and
 * without its cache) and jsonwebtoken, and the floor (one node:crypto signature check and a
 * JSON.parse of the payload). Every contender checks the same things where it can: the
 * algorithm allow-list, signature, `iss`, `aud`, `exp` (and `typ: at+jwt` where supported).
 *
 * "hot" repeats one token; "cold" takes the next of 16 000 distinct tokens each time, more
 * than any cache here holds, so every call is a miss.
 */
import { createHmac, createSecretKey, timingSafeEqual, verify } from 'node:crypto';
import { createAuth, memoryStorage } from '@auth/core';
import { createVerifier } from 'fast-jwt';
import { importJWK, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import {
  AUDIENCE,
  type Figure,
  figure,
  hmacCryptoKey,
  ISSUER,
  type KeyPair,
  keyPair,
  log,
  makeToken,
  SECRET,
  SECRET_BYTES,
  settings,
} from './common.js';

/** One verification; a promise is awaited. */
type Op = () => unknown;
type Alg = 'HS256' | KeyPair;

export interface VerifyRow {
  id: string;
  name: string;
  opsPerSec: Figure;
}
export interface VerifyGroup {
  id: string;
  title: string;
  rows: VerifyRow[];
  /** Contenders that cannot take part, with the reason. */
  skipped: string[];
}

const RING = 16_000;
const REQUIRED = ['exp', 'iat', 'sub', 'jti'];

function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => {
    const item = items[i]!;
    i = i + 1 === items.length ? 0 : i + 1;
    return item;
  };
}

async function opsPerSecond(op: Op, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < 100; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    n += 100;
    now = performance.now();
  } while (now - start < ms);
  return (n / (now - start)) * 1000;
}

/** Each contender: a verify function of a bare token (ours takes the header). */
interface Contender {
  id: string;
  name: string;
  verify: (token: string) => unknown;
  /** Ours is given `Bearer <token>`, as a middleware would. */
  header?: boolean;
}

async function contenders(alg: Alg): Promise<{ list: Contender[]; skipped: string[] }> {
  const name = alg === 'HS256' ? 'HS256' : alg.alg;
  const keys =
    alg === 'HS256'
      ? { alg: 'HS256' as const, secret: SECRET }
      : { alg: alg.alg, privateKey: alg.privateJwk, kid: alg.kid };
  const ours = createAuth({ issuer: ISSUER, audience: AUDIENCE, keys, storage: memoryStorage() });
  const publicPem =
    alg === 'HS256' ? '' : (alg.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const joseKey =
    alg === 'HS256'
      ? await hmacCryptoKey()
      : await importJWK(alg.publicKey.export({ format: 'jwk' }), name);
  const joseOptions = {
    algorithms: [name],
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: 'at+jwt',
    requiredClaims: REQUIRED,
  };
  const fastJwt = (cache: boolean) =>
    createVerifier({
      key: alg === 'HS256' ? SECRET : publicPem,
      algorithms: [name as 'HS256'],
      allowedIss: ISSUER,
      allowedAud: AUDIENCE,
      checkTyp: 'at+jwt',
      requiredClaims: REQUIRED,
      cache,
    });
  const list: Contender[] = [
    { id: 'ours', name: '@auth/core authenticate()', verify: ours.authenticate, header: true },
    {
      id: 'jose',
      name: 'jose jwtVerify (key imported once)',
      verify: (t) => jwtVerify(t, joseKey, joseOptions),
    },
    { id: 'fast-jwt', name: 'fast-jwt (no cache)', verify: fastJwt(false) },
    { id: 'fast-jwt-cache', name: 'fast-jwt (cache)', verify: fastJwt(true) },
  ];
  const skipped: string[] = [];
  if (name === 'EdDSA') skipped.push('jsonwebtoken: no EdDSA support');
  else {
    // A KeyObject made once: given a string, jsonwebtoken re-parses it on every call.
    const key = alg === 'HS256' ? createSecretKey(SECRET_BYTES) : alg.publicKey;
    const options = { algorithms: [name as 'HS256'], issuer: ISSUER, audience: AUDIENCE };
    list.push({
      id: 'jsonwebtoken',
      name: 'jsonwebtoken (KeyObject; no typ check)',
      verify: (t) => jsonwebtoken.verify(t, key, options),
    });
  }
  list.push({ id: 'floor', name: 'floor: node:crypto verify + JSON.parse', verify: floor(alg) });
  return { list, skipped };
}

/** The least any verifier must do: check the signature, parse the payload. */
function floor(alg: Alg): (token: string) => unknown {
  return (token) => {
    const d1 = token.indexOf('.');
    const d2 = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(d2 + 1), 'base64url');
    let ok: boolean;
    if (alg === 'HS256') {
      const mac = createHmac('sha256', SECRET_BYTES).update(token.slice(0, d2)).digest();
      ok = mac.length === signature.length && timingSafeEqual(mac, signature);
    } else {
      const input = Buffer.from(token.slice(0, d2));
      const key = { key: alg.publicKey, dsaEncoding: 'ieee-p1363' as const };
      ok = verify(alg.alg === 'EdDSA' ? null : 'sha256', input, key, signature);
    }
    if (!ok) throw new Error('bad signature');
    return JSON.parse(Buffer.from(token.slice(d1 + 1, d2), 'base64url').toString());
  };
}

/** Fails loudly unless `c` accepts a good token and refuses a tampered one. */
async function sanityCheck(c: Contender, good: string): Promise<void> {
  const arg = (t: string) => (c.header ? `Bearer ${t}` : t);
  await c.verify(arg(good));
  const bad = `${good.slice(0, -4)}${good.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  const refused = await Promise.resolve()
    .then(() => c.verify(arg(bad)))
    .then(
      () => false,
      () => true,
    );
  if (!refused) throw new Error(`${c.name} accepted a tampered token`);
}

async function group(id: string, title: string, alg: Alg, hot: boolean): Promise<VerifyGroup> {
  const { list, skipped } = await contenders(alg);
  const key = alg === 'HS256' ? 'HS256' : alg;
  const tokens = hot ? [makeToken(key)] : Array.from({ length: RING }, () => makeToken(key));
  const headers = tokens.map((t) => `Bearer ${t}`);
  const ops = new Map<Contender, Op>();
  for (const c of list) {
    await sanityCheck(c, makeToken(key));
    const next = cycle(c.header ? headers : tokens);
    ops.set(c, () => c.verify(next()));
  }
  const samples = new Map<Contender, number[]>(list.map((c) => [c, []]));
  for (const c of list) await opsPerSecond(ops.get(c)!, settings.verifyWarmupMs);
  for (let round = 0; round < settings.rounds; round++) {
    // As the HTTP rounds do: the order rotates each round and runs there and back (A B C C B
    // A) in halves, so each contender's two halves centre on the same moment of the round
    // and a load drifting through it cancels out of the ratios.
    const order = list.map((_, i) => list[(i + round) % list.length]!);
    const halves = new Map<Contender, number[]>();
    for (const c of [...order, ...[...order].reverse()]) {
      const rate = await opsPerSecond(ops.get(c)!, settings.verifyMs / 2);
      halves.set(c, [...(halves.get(c) ?? []), rate]);
    }
    for (const [c, rates] of halves) {
      samples.get(c)!.push(rates.reduce((sum, r) => sum + r, 0) / rates.length);
    }
  }
  log(`verify: ${title} done`);
  return {
    id,
    title,
    skipped,
    rows: list.map((c) => ({ id: c.id, name: c.name, opsPerSec: figure(samples.get(c)!) })),
  };
}

/** Runs the verify comparisons. */
export async function runVerify(): Promise<VerifyGroup[]> {
  return [
    await group('hs256-hot', 'HS256, hot (one token repeated)', 'HS256', true),
    await group('hs256-cold', 'HS256, cold (a fresh token each call)', 'HS256', false),
    await group('eddsa-cold', 'EdDSA, cold', keyPair('EdDSA'), false),
    await group('es256-cold', 'ES256, cold', keyPair('ES256'), false),
  ];
}
