import type { LookupAddress } from 'node:dns';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type AllowList, checkTarget, EMPTY_ALLOW_LIST } from '@delivery-history/core';
import { classifyAddress, formatIp, parseAllowList, parseIp } from '@delivery-history/core/testing';
import { guardedLookup, type Resolver } from '../src/ssrf/guardedConnector.js';

const allowList = (text: string): AllowList => {
  const r = parseAllowList(text);
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};

const blocked = (address: string): boolean => {
  const ip = parseIp(address);
  if (ip === undefined) throw new Error(`not an IP: ${address}`);
  return classifyAddress(ip)._tag === 'Special';
};

// ---------------------------------------------------------------------------
const Parse = suite('parseIp');

const show = (s: string): string => {
  const ip = parseIp(s);
  return ip === undefined ? 'undefined' : formatIp(ip);
};

Parse('parses IPv4, IPv6 forms, brackets and zones to the same bytes', () => {
  assert.is(show('127.0.0.1'), '127.0.0.1');
  assert.is(show('::1'), '0:0:0:0:0:0:0:1');
  assert.is(show('[fe80::1%eth0]'), 'fe80:0:0:0:0:0:0:1');
  assert.is(show('::ffff:127.0.0.1'), '0:0:0:0:0:ffff:7f00:1');
  assert.is(show('0:0:0:0:0:ffff:7f00:1'), '0:0:0:0:0:ffff:7f00:1');
  assert.is(show('1:2:3:4:5:6:7::'), '1:2:3:4:5:6:7:0');
});

Parse('rejects what is not an IP literal', () => {
  for (const s of ['example.com', '1.2.3', '1.2.3.256', '::1::2', 'gggg::1', '', '01.2.3.4']) {
    assert.is(parseIp(s), undefined, s);
  }
});

Parse.run();

// ---------------------------------------------------------------------------
const Ranges = suite('blocked ranges');

Ranges('blocks private, loopback, link-local, CGNAT, multicast and reserved IPv4', () => {
  for (const a of [
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
  ]) {
    assert.ok(blocked(a), a);
  }
});

Ranges('lets public IPv4 through, including the neighbours of private ranges', () => {
  for (const a of [
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '11.0.0.1',
    '93.184.215.14',
  ]) {
    assert.not.ok(blocked(a), a);
  }
});

Ranges('blocks IPv6 loopback, unspecified, ULA, link-local, multicast', () => {
  for (const a of [
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    'fec0::1',
    '2001:db8::1',
    'fd00:ec2::254',
  ]) {
    assert.ok(blocked(a), a);
  }
});

Ranges('judges IPv4 embedded in IPv6 (mapped, NAT64, 6to4, compatible) by the IPv4 address', () => {
  for (const a of [
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '2002:c0a8:101::',
    '::127.0.0.1',
  ]) {
    assert.ok(blocked(a), a);
  }
  assert.not.ok(blocked('::ffff:8.8.8.8'));
  assert.not.ok(blocked('64:ff9b::808:808'));
  assert.not.ok(blocked('2002:808:808::1'));
});

Ranges('lets public IPv6 through', () => {
  for (const a of ['2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450::1']) assert.not.ok(blocked(a), a);
});

Ranges.run();

// ---------------------------------------------------------------------------
const Allow = suite('allow-list');

Allow('parses IPs, CIDRs, host names and *.suffixes', () => {
  const list = allowList(' 127.0.0.1, 10.1.0.0/16 ,::1, [fd00::]/8, hooks.internal, *.corp.example, Localhost. ');
  assert.equal(
    list.cidrs.map((c) => c.text),
    ['127.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8'],
  );
  assert.equal(list.hosts, ['hooks.internal', 'localhost']);
  assert.equal(list.suffixes, ['.corp.example']);
});

Allow('names every bad entry', () => {
  const r = parseAllowList('127.0.0.1, 10.0.0.0/33, bad host, 1.2.3');
  assert.ok(E.isLeft(r));
  if (E.isLeft(r)) {
    assert.match(r.left, '"10.0.0.0/33"');
    assert.match(r.left, '"bad host"');
    assert.match(r.left, '"1.2.3"');
    assert.not.match(r.left, '"127.0.0.1"');
  }
});

Allow('an allowed address or name opens exactly that target', () => {
  const list = allowList('127.0.0.1, hooks.internal, *.corp.example');
  assert.is(checkTarget(list, 'x.test', '127.0.0.1')._tag, 'Allowed');
  assert.is(checkTarget(list, 'x.test', '::ffff:127.0.0.1')._tag, 'Allowed', 'IPv4 entry covers its mapped form');
  assert.is(checkTarget(list, 'x.test', '127.0.0.2')._tag, 'Blocked');
  assert.is(checkTarget(list, 'x.test', '10.0.0.1')._tag, 'Blocked');
  assert.is(checkTarget(list, 'hooks.internal', '10.0.0.1')._tag, 'Allowed');
  assert.is(checkTarget(list, 'a.b.corp.example', '192.168.0.1')._tag, 'Allowed');
  assert.is(checkTarget(list, 'corp.example', '192.168.0.1')._tag, 'Blocked', 'the suffix does not cover the apex');
  assert.is(checkTarget(EMPTY_ALLOW_LIST, 'x.test', '8.8.8.8')._tag, 'Allowed');
  const v = checkTarget(EMPTY_ALLOW_LIST, 'meta.test', '169.254.169.254');
  assert.is(v._tag, 'Blocked');
  if (v._tag === 'Blocked') assert.match(v.reason, 'link-local');
});

Allow.run();

// ---------------------------------------------------------------------------
type LookupResult = {
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number | undefined;
};

const runLookup = (allow: AllowList, resolve: Resolver, hostname: string, all = true): Promise<LookupResult> =>
  new Promise((ok) => {
    guardedLookup(allow, resolve)(hostname, { all, family: 0 }, (err, address, family) => ok({ err, address, family }));
  });

const Lookup = suite('guarded lookup (connect-time DNS check)');

Lookup('a name resolving to loopback is blocked unless allowed', async () => {
  const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
  const refused = await runLookup(EMPTY_ALLOW_LIST, resolve, 'rebind.test');
  assert.is(refused.err?.code, 'BLOCKED_TARGET');
  assert.match(refused.err?.message ?? '', 'rebind.test (127.0.0.1)');
  const allowed = await runLookup(allowList('127.0.0.1'), resolve, 'rebind.test');
  assert.is(allowed.err, null);
  assert.equal(allowed.address, [{ address: '127.0.0.1', family: 4 }]);
});

Lookup('every answer is checked: one private address among public ones blocks the name', async () => {
  const resolve: Resolver = async () => [
    { address: '93.184.215.14', family: 4 },
    { address: '::ffff:10.0.0.7', family: 6 },
  ];
  const r = await runLookup(EMPTY_ALLOW_LIST, resolve, 'mixed.test');
  assert.is(r.err?.code, 'BLOCKED_TARGET');
});

Lookup('each connect asks again: a rebinding answer on the second lookup is caught', async () => {
  let calls = 0;
  const resolve: Resolver = async () =>
    ++calls === 1 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '169.254.169.254', family: 4 }];
  const first = await runLookup(EMPTY_ALLOW_LIST, resolve, 'flip.test', false);
  assert.is(first.err, null);
  assert.is(first.address, '93.184.215.14');
  assert.is(first.family, 4);
  const second = await runLookup(EMPTY_ALLOW_LIST, resolve, 'flip.test', false);
  assert.is(second.err?.code, 'BLOCKED_TARGET');
});

Lookup('.invalid names fail at once with ENOTFOUND without asking DNS', async () => {
  let asked = false;
  const resolve: Resolver = async () => {
    asked = true;
    return [];
  };
  const r = await runLookup(EMPTY_ALLOW_LIST, resolve, 'receiver.invalid');
  assert.is(r.err?.code, 'ENOTFOUND');
  assert.not.ok(asked);
});

Lookup('resolver errors pass through', async () => {
  const resolve: Resolver = async () => {
    throw Object.assign(new Error('getaddrinfo EAI_AGAIN x.test'), { code: 'EAI_AGAIN' });
  };
  const r = await runLookup(EMPTY_ALLOW_LIST, resolve, 'x.test');
  assert.is(r.err?.code, 'EAI_AGAIN');
});

Lookup.run();
