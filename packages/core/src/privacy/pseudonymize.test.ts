import { createHmac, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { createPseudonymizer, PSEUDONYM_KEY_ENV, pseudonymize, pseudonymizerFromEnv } from './pseudonymize.js';
import { hmacSha256, sha256, toHex } from './sha256.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('HMAC-SHA256', () => {
  // RFC 4231 §4.2–4.8 (test case 5 is truncated to 128 bits).
  const cases: { key: Uint8Array; data: Uint8Array; mac: string }[] = [
    { key: new Uint8Array(20).fill(0x0b), data: text('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
    { key: text('Jefe'), data: text('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
    { key: new Uint8Array(20).fill(0xaa), data: new Uint8Array(50).fill(0xdd), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
    { key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'), data: new Uint8Array(50).fill(0xcd), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
    { key: new Uint8Array(20).fill(0x0c), data: text('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
    { key: new Uint8Array(131).fill(0xaa), data: text('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
    {
      key: new Uint8Array(131).fill(0xaa),
      data: text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    },
  ];
  it.each(cases.map((c, i) => [i + 1, c] as const))('RFC 4231 test case %i', (_, c) => {
    expect(toHex(hmacSha256(c.key)(c.data)).slice(0, c.mac.length)).toBe(c.mac);
  });

  it('agrees with node:crypto for every message length around the block boundaries', () => {
    const key = randomBytes(37);
    const mac = hmacSha256(key);
    for (let n = 0; n <= 200; n++) {
      const data = randomBytes(n);
      expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      expect(toHex(mac(data))).toBe(createHmac('sha256', key).update(data).digest('hex'));
    }
  });
});

describe('pseudonymize', () => {
  const key = 'a secret key of 32 characters..!';

  it('is the HMAC-SHA256 hex of the UTF-8 id, stable across calls', () => {
    expect(pseudonymize('5524', key)).toBe(createHmac('sha256', key).update('5524').digest('hex'));
    expect(pseudonymize('Zoë', key)).toBe(createHmac('sha256', key).update('Zoë', 'utf8').digest('hex'));
    const p = createPseudonymizer(key);
    expect(p('5524')).toBe(p('5524'));
    expect(p('5524')).not.toBe(p('5525'));
    expect(createPseudonymizer('another key of 32 characters...!')('5524')).not.toBe(p('5524'));
  });

  it('truncates when asked', () => {
    expect(createPseudonymizer(key, { length: 32 })('x')).toBe(pseudonymize('x', key).slice(0, 32));
    expect(() => createPseudonymizer(key, { length: 15 })).toThrow(OptionsError);
  });

  it('refuses short keys and names the variable when the key is missing', () => {
    expect(() => createPseudonymizer('short')).toThrow(/at least 16/);
    expect(() => pseudonymizerFromEnv({})).toThrow(new RegExp(PSEUDONYM_KEY_ENV));
    expect(() => pseudonymizerFromEnv({ [PSEUDONYM_KEY_ENV]: '' })).toThrow(OptionsError);
    expect(pseudonymizerFromEnv({ [PSEUDONYM_KEY_ENV]: key })('1')).toBe(pseudonymize('1', key));
  });
});
