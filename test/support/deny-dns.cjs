'use strict';
/**
 * A preload for a CLI child process (NODE_OPTIONS=--require …/deny-dns.cjs): every DNS lookup of a name that is
 * not loopback (localhost, *.localhost) is refused as ENOTFOUND and appended, one name a line, to the file named by
 * REMEDIATE_TEST_DNS_LOG. A test reads that file back to prove the run looked up no real name (the stack's domain,
 * `*.elb.amazonaws.com`). IP literals never reach dns.lookup (node:net connects to them directly).
 */
const dns = require('node:dns');
const { appendFileSync } = require('node:fs');

const logPath = process.env.REMEDIATE_TEST_DNS_LOG;
const loopbackName = (name) => {
  const n = String(name).toLowerCase().replace(/\.$/, '');
  return n === 'localhost' || n.endsWith('.localhost');
};
const refused = (hostname) => {
  if (logPath) appendFileSync(logPath, `${hostname}\n`);
  const error = new Error(`getaddrinfo ENOTFOUND ${hostname} (denied by deny-dns.cjs)`);
  error.code = 'ENOTFOUND';
  error.hostname = hostname;
  return error;
};

const lookup = dns.lookup;
dns.lookup = function deniedLookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  if (!loopbackName(hostname)) {
    process.nextTick(() => cb(refused(hostname)));
    return {};
  }
  return lookup.call(this, hostname, options, callback);
};

const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function deniedPromisesLookup(hostname, options) {
  if (!loopbackName(hostname)) return Promise.reject(refused(hostname));
  return promisesLookup.call(this, hostname, options);
};
