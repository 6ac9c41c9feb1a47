// Loaded with `node --require` before the linter: the registry's tests must send nothing off the machine, and a
// linter may phone home (telemetry, update notices, remote $refs) behind settings we cannot see into. Every
// connection or name lookup that is not loopback is refused here and reported on stderr with the marker below, so
// a test can assert that none was tried, not only that none succeeded.
'use strict';

const net = require('node:net');
const dns = require('node:dns');

const MARKER = 'offline-guard: refused';

function isLoopback(host) {
    if (host === undefined || host === null || host === '' || host === 'localhost') {
        return true;
    }
    const bare = String(host).replace(/^\[|\]$/g, '');
    return bare === '::1' || /^127\./.test(bare) || /^::ffff:127\./.test(bare);
}

function refuse(what) {
    process.stderr.write(`${MARKER} ${what}\n`);
    return new Error(`${MARKER} ${what}: this tool runs offline`);
}

// net.connect, tls.connect, http(s) and fetch (undici) all end in Socket.prototype.connect.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
    if (options.path === undefined && !isLoopback(options.host)) {
        const error = refuse(`a connection to ${options.host}:${options.port}`);
        process.nextTick(() => this.destroy(error));
        return this;
    }
    return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
    if (!isLoopback(hostname)) {
        const error = refuse(`a name lookup of ${hostname}`);
        const callback = rest[rest.length - 1];
        if (typeof callback === 'function') {
            process.nextTick(() => callback(error));
            return {};
        }
        throw error;
    }
    return lookup.call(this, hostname, ...rest);
};

const promiseLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromiseLookup(hostname, ...rest) {
    if (!isLoopback(hostname)) {
        throw refuse(`a name lookup of ${hostname}`);
    }
    return promiseLookup.call(this, hostname, ...rest);
};
