import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 785:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
// This is an empty module that is served up when outside of a workerd environment
// See the `exports` field in package.json
exports["default"] = {};
//# sourceMappingURL=empty.js.map

/***/ }),

/***/ 6122:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



//Parse method copied from https://github.com/brianc/node-postgres
//Copyright (c) 2010-2014 Brian Carlson (brian.m.carlson@gmail.com)
//MIT License

//parses a connection string
function parse(str, options = {}) {
  //unix socket
  if (str.charAt(0) === '/') {
    const config = str.split(' ')
    return { host: config[0], database: config[1] }
  }

  // Check for empty host in URL

  const config = Object.create(null)
  let result
  let dummyHost = false
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(str)) {
    // Ensure spaces are encoded as %20
    str = encodeURI(str).replace(/%25(\d\d)/g, '%$1')
  }

  try {
    try {
      result = new URL(str, 'postgres://base')
    } catch (e) {
      // The URL is invalid so try again with a dummy host
      result = new URL(str.replace('@/', '@___DUMMY___/'), 'postgres://base')
      dummyHost = true
    }
  } catch (err) {
    // Remove the input from the error message to avoid leaking sensitive information
    err.input && (err.input = '*****REDACTED*****')
    throw err
  }

  // We'd like to use Object.fromEntries() here but Node.js 10 does not support it
  for (const entry of result.searchParams.entries()) {
    config[entry[0]] = entry[1]
  }

  config.user = config.user || decodeURIComponent(result.username)
  config.password = config.password || decodeURIComponent(result.password)

  if (result.protocol == 'socket:') {
    config.host = decodeURI(result.pathname)
    config.database = result.searchParams.get('db')
    config.client_encoding = result.searchParams.get('encoding')
    return config
  }
  const hostname = (dummyHost ? '' : result.hostname).replace(/^\[(.+)\]$/, '$1')
  if (!config.host) {
    // Only set the host if there is no equivalent query param.
    config.host = decodeURIComponent(hostname)
  } else if (hostname && /^%2f/i.test(hostname)) {
    // Only prepend the hostname to the pathname if it is not a URL encoded Unix socket host.
    result.pathname = hostname + result.pathname
  }
  if (!config.port) {
    // Only set the port if there is no equivalent query param.
    config.port = result.port
  }

  const pathname = result.pathname.slice(1) || null
  config.database = pathname ? decodeURI(pathname) : null

  if (config.ssl === 'true' || config.ssl === '1') {
    config.ssl = true
  }

  if (config.ssl === '0') {
    config.ssl = false
  }

  if (config.sslcert || config.sslkey || config.sslrootcert || config.sslmode) {
    config.ssl = {}
  }

  // sslnegotiation=direct implies SSL is in use (libpq requires sslmode>=require),
  // so enable SSL if the connection string did not otherwise configure it.
  if (config.sslnegotiation === 'direct' && config.ssl === undefined) {
    config.ssl = true
  }

  // Only try to load fs if we expect to read from the disk
  const fs = config.sslcert || config.sslkey || config.sslrootcert ? __nccwpck_require__(9896) : null

  if (config.sslcert) {
    config.ssl.cert = fs.readFileSync(config.sslcert).toString()
  }

  if (config.sslkey) {
    config.ssl.key = fs.readFileSync(config.sslkey).toString()
  }

  if (config.sslrootcert) {
    config.ssl.ca = fs.readFileSync(config.sslrootcert).toString()
  }

  if (options.useLibpqCompat && config.uselibpqcompat) {
    throw new Error('Both useLibpqCompat and uselibpqcompat are set. Please use only one of them.')
  }

  if (config.uselibpqcompat === 'true' || options.useLibpqCompat) {
    switch (config.sslmode) {
      case 'disable': {
        config.ssl = false
        break
      }
      case 'prefer': {
        config.ssl.rejectUnauthorized = false
        break
      }
      case 'require': {
        if (config.sslrootcert) {
          // If a root CA is specified, behavior of `sslmode=require` will be the same as that of `verify-ca`
          config.ssl.checkServerIdentity = function () {}
        } else {
          config.ssl.rejectUnauthorized = false
        }
        break
      }
      case 'verify-ca': {
        if (!config.ssl.ca) {
          throw new Error(
            'SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert. If a public CA is used, verify-ca allows connections to a server that somebody else may have registered with the CA, making you vulnerable to Man-in-the-Middle attacks. Either specify a custom CA certificate with sslrootcert parameter or use sslmode=verify-full for proper security.'
          )
        }
        config.ssl.checkServerIdentity = function () {}
        break
      }
      case 'verify-full': {
        break
      }
    }
  } else {
    switch (config.sslmode) {
      case 'disable': {
        config.ssl = false
        break
      }
      case 'prefer':
      case 'require':
      case 'verify-ca':
      case 'verify-full': {
        if (config.sslmode !== 'verify-full') {
          deprecatedSslModeWarning(config.sslmode)
        }
        break
      }
      case 'no-verify': {
        config.ssl.rejectUnauthorized = false
        break
      }
    }
  }

  return config
}

// convert pg-connection-string ssl config to a ClientConfig.ConnectionOptions
function toConnectionOptions(sslConfig) {
  const connectionOptions = Object.entries(sslConfig).reduce((c, [key, value]) => {
    // we explicitly check for undefined and null instead of `if (value)` because some
    // options accept falsy values. Example: `ssl.rejectUnauthorized = false`
    if (value !== undefined && value !== null) {
      c[key] = value
    }

    return c
  }, Object.create(null))

  return connectionOptions
}

// convert pg-connection-string config to a ClientConfig
function toClientConfig(config) {
  const poolConfig = Object.entries(config).reduce((c, [key, value]) => {
    if (key === 'ssl') {
      const sslConfig = value

      if (typeof sslConfig === 'boolean') {
        c[key] = sslConfig
      }

      if (typeof sslConfig === 'object') {
        c[key] = toConnectionOptions(sslConfig)
      }
    } else if (value !== undefined && value !== null) {
      if (key === 'port') {
        // when port is not specified, it is converted into an empty string
        // we want to avoid NaN or empty string as a values in ClientConfig
        if (value !== '') {
          const v = parseInt(value, 10)
          if (isNaN(v)) {
            throw new Error(`Invalid ${key}: ${value}`)
          }

          c[key] = v
        }
      } else {
        c[key] = value
      }
    }

    return c
  }, Object.create(null))

  return poolConfig
}

// parses a connection string into ClientConfig
function parseIntoClientConfig(str) {
  return toClientConfig(parse(str))
}

function deprecatedSslModeWarning(sslmode) {
  if (!deprecatedSslModeWarning.warned && typeof process !== 'undefined' && process.emitWarning) {
    deprecatedSslModeWarning.warned = true
    process.emitWarning(`SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.
In the next major version (pg-connection-string v3.0.0 and pg v9.0.0), these modes will adopt standard libpq semantics, which have weaker security guarantees.

To prepare for this change:
- If you want the current behavior, explicitly use 'sslmode=verify-full'
- If you want libpq compatibility now, use 'uselibpqcompat=true&sslmode=${sslmode}'

See https://www.postgresql.org/docs/current/libpq-ssl.html for libpq SSL mode definitions.`)
  }
}

module.exports = parse

parse.parse = parse
parse.toClientConfig = toClientConfig
parse.parseIntoClientConfig = parseIntoClientConfig


/***/ }),

/***/ 2299:
/***/ ((module) => {



// selected so (BASE - 1) * 0x100000000 + 0xffffffff is a safe integer
var BASE = 1000000;

function readInt8(buffer) {
	var high = buffer.readInt32BE(0);
	var low = buffer.readUInt32BE(4);
	var sign = '';

	if (high < 0) {
		high = ~high + (low === 0);
		low = (~low + 1) >>> 0;
		sign = '-';
	}

	var result = '';
	var carry;
	var t;
	var digits;
	var pad;
	var l;
	var i;

	{
		carry = high % BASE;
		high = high / BASE >>> 0;

		t = 0x100000000 * carry + low;
		low = t / BASE >>> 0;
		digits = '' + (t - BASE * low);

		if (low === 0 && high === 0) {
			return sign + digits + result;
		}

		pad = '';
		l = 6 - digits.length;

		for (i = 0; i < l; i++) {
			pad += '0';
		}

		result = pad + digits + result;
	}

	{
		carry = high % BASE;
		high = high / BASE >>> 0;

		t = 0x100000000 * carry + low;
		low = t / BASE >>> 0;
		digits = '' + (t - BASE * low);

		if (low === 0 && high === 0) {
			return sign + digits + result;
		}

		pad = '';
		l = 6 - digits.length;

		for (i = 0; i < l; i++) {
			pad += '0';
		}

		result = pad + digits + result;
	}

	{
		carry = high % BASE;
		high = high / BASE >>> 0;

		t = 0x100000000 * carry + low;
		low = t / BASE >>> 0;
		digits = '' + (t - BASE * low);

		if (low === 0 && high === 0) {
			return sign + digits + result;
		}

		pad = '';
		l = 6 - digits.length;

		for (i = 0; i < l; i++) {
			pad += '0';
		}

		result = pad + digits + result;
	}

	{
		carry = high % BASE;
		t = 0x100000000 * carry + low;
		digits = '' + t % BASE;

		return sign + digits + result;
	}
}

module.exports = readInt8;


/***/ }),

/***/ 7558:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const EventEmitter = (__nccwpck_require__(4434).EventEmitter)

const NOOP = function () {}

const removeWhere = (list, predicate) => {
  const i = list.findIndex(predicate)

  return i === -1 ? undefined : list.splice(i, 1)[0]
}

class IdleItem {
  constructor(client, idleListener, timeoutId) {
    this.client = client
    this.idleListener = idleListener
    this.timeoutId = timeoutId
  }
}

class PendingItem {
  constructor(callback) {
    this.callback = callback
  }
}

function throwOnDoubleRelease() {
  throw new Error('Release called on client which has already been released to the pool.')
}

function promisify(Promise, callback) {
  if (callback) {
    return { callback: callback, result: undefined }
  }
  let rej
  let res
  const cb = function (err, client) {
    err ? rej(err) : res(client)
  }
  const result = new Promise(function (resolve, reject) {
    res = resolve
    rej = reject
  }).catch((err) => {
    // replace the stack trace that leads to `TCP.onStreamRead` with one that leads back to the
    // application that created the query
    Error.captureStackTrace(err)
    throw err
  })
  return { callback: cb, result: result }
}

function makeIdleListener(pool, client) {
  return function idleListener(err) {
    err.client = client

    client.removeListener('error', idleListener)
    client.on('error', () => {
      pool.log('additional client error after disconnection due to error', err)
    })
    pool._remove(client)
    // TODO - document that once the pool emits an error
    // the client has already been closed & purged and is unusable
    pool.emit('error', err, client)
  }
}

class Pool extends EventEmitter {
  constructor(options, Client) {
    super()
    this.options = Object.assign({}, options)

    if (options != null && 'password' in options) {
      // "hiding" the password so it doesn't show up in stack traces
      // or if the client is console.logged
      Object.defineProperty(this.options, 'password', {
        configurable: true,
        enumerable: false,
        writable: true,
        value: options.password,
      })
    }
    if (options != null && options.ssl && options.ssl.key) {
      // "hiding" the ssl->key so it doesn't show up in stack traces
      // or if the client is console.logged
      Object.defineProperty(this.options.ssl, 'key', {
        enumerable: false,
      })
    }

    this.options.max = this.options.max || this.options.poolSize || 10
    this.options.min = this.options.min || 0
    this.options.maxUses = this.options.maxUses || Infinity
    this.options.allowExitOnIdle = this.options.allowExitOnIdle || false
    this.options.maxLifetimeSeconds = this.options.maxLifetimeSeconds || 0
    this.log = this.options.log || function () {}
    this.Client = this.options.Client || Client || (__nccwpck_require__(3273).Client)
    this.Promise = this.options.Promise || global.Promise

    if (typeof this.options.idleTimeoutMillis === 'undefined') {
      this.options.idleTimeoutMillis = 10000
    }

    this._clients = []
    this._idle = []
    this._expired = new WeakSet()
    this._pendingQueue = []
    this._endCallback = undefined
    this.ending = false
    this.ended = false
  }

  _promiseTry(f) {
    const Promise = this.Promise
    if (typeof Promise.try === 'function') {
      return Promise.try(f)
    }
    return new Promise((resolve) => resolve(f()))
  }

  _isFull() {
    return this._clients.length >= this.options.max
  }

  _isAboveMin() {
    return this._clients.length > this.options.min
  }

  _pulseQueue() {
    this.log('pulse queue')
    if (this.ended) {
      this.log('pulse queue ended')
      return
    }
    if (this.ending) {
      this.log('pulse queue on ending')
      if (this._idle.length) {
        this._idle.slice().map((item) => {
          this._remove(item.client)
        })
      }
      if (!this._clients.length) {
        this.ended = true
        this._endCallback()
      }
      return
    }

    // if we don't have any waiting, do nothing
    if (!this._pendingQueue.length) {
      this.log('no queued requests')
      return
    }
    // if we don't have any idle clients and we have no more room do nothing
    if (!this._idle.length && this._isFull()) {
      return
    }
    const pendingItem = this._pendingQueue.shift()
    if (this._idle.length) {
      const idleItem = this._idle.pop()
      clearTimeout(idleItem.timeoutId)
      const client = idleItem.client
      client.ref && client.ref()
      const idleListener = idleItem.idleListener

      return this._acquireClient(client, pendingItem, idleListener, false)
    }
    if (!this._isFull()) {
      return this.newClient(pendingItem)
    }
    throw new Error('unexpected condition')
  }

  _remove(client, callback) {
    const removed = removeWhere(this._idle, (item) => item.client === client)

    if (removed !== undefined) {
      clearTimeout(removed.timeoutId)
    }

    this._clients = this._clients.filter((c) => c !== client)
    const context = this
    client.end(() => {
      context.emit('remove', client)

      if (typeof callback === 'function') {
        callback()
      }
    })
  }

  connect(cb) {
    if (this.ending) {
      const err = new Error('Cannot use a pool after calling end on the pool')
      return cb ? cb(err) : this.Promise.reject(err)
    }

    const response = promisify(this.Promise, cb)
    const result = response.result

    // if we don't have to connect a new client, don't do so
    if (this._isFull() || this._idle.length) {
      // if we have idle clients schedule a pulse immediately
      if (this._idle.length) {
        process.nextTick(() => this._pulseQueue())
      }

      if (!this.options.connectionTimeoutMillis) {
        this._pendingQueue.push(new PendingItem(response.callback))
        return result
      }

      const queueCallback = (err, res, done) => {
        clearTimeout(tid)
        response.callback(err, res, done)
      }

      const pendingItem = new PendingItem(queueCallback)

      // set connection timeout on checking out an existing client
      const tid = setTimeout(() => {
        // remove the callback from pending waiters because
        // we're going to call it with a timeout error
        removeWhere(this._pendingQueue, (i) => i.callback === queueCallback)
        pendingItem.timedOut = true
        response.callback(new Error('timeout exceeded when trying to connect'))
      }, this.options.connectionTimeoutMillis)

      if (tid.unref) {
        tid.unref()
      }

      this._pendingQueue.push(pendingItem)
      return result
    }

    this.newClient(new PendingItem(response.callback))

    return result
  }

  newClient(pendingItem) {
    const client = new this.Client(this.options)
    this._clients.push(client)
    const idleListener = makeIdleListener(this, client)

    this.log('checking client timeout')

    // connection timeout logic
    let tid
    let timeoutHit = false
    if (this.options.connectionTimeoutMillis) {
      tid = setTimeout(() => {
        if (client.connection) {
          this.log('ending client due to timeout')
          timeoutHit = true
          client.connection.stream.destroy()
        } else if (!client.isConnected()) {
          this.log('ending client due to timeout')
          timeoutHit = true
          // force kill the node driver, and let libpq do its teardown
          client.end()
        }
      }, this.options.connectionTimeoutMillis)
    }

    this.log('connecting new client')
    client.connect((err) => {
      if (tid) {
        clearTimeout(tid)
      }
      client.on('error', idleListener)
      if (err) {
        this.log('client failed to connect', err)
        // remove the dead client from our list of clients
        this._clients = this._clients.filter((c) => c !== client)
        if (timeoutHit) {
          err = new Error('Connection terminated due to connection timeout', { cause: err })
        }

        // this client won’t be released, so move on immediately
        this._pulseQueue()

        if (!pendingItem.timedOut) {
          pendingItem.callback(err, undefined, NOOP)
        }
      } else {
        this.log('new client connected')

        if (this.options.onConnect) {
          this._promiseTry(() => this.options.onConnect(client)).then(
            () => {
              this._afterConnect(client, pendingItem, idleListener)
            },
            (hookErr) => {
              this._clients = this._clients.filter((c) => c !== client)
              client.end(() => {
                this._pulseQueue()
                if (!pendingItem.timedOut) {
                  pendingItem.callback(hookErr, undefined, NOOP)
                }
              })
            }
          )
          return
        }

        return this._afterConnect(client, pendingItem, idleListener)
      }
    })
  }

  _afterConnect(client, pendingItem, idleListener) {
    if (this.options.maxLifetimeSeconds !== 0) {
      const maxLifetimeTimeout = setTimeout(() => {
        this.log('ending client due to expired lifetime')
        this._expired.add(client)
        const idleIndex = this._idle.findIndex((idleItem) => idleItem.client === client)
        if (idleIndex !== -1) {
          this._acquireClient(
            client,
            new PendingItem((err, client, clientRelease) => clientRelease()),
            idleListener,
            false
          )
        }
      }, this.options.maxLifetimeSeconds * 1000)

      maxLifetimeTimeout.unref()
      client.once('end', () => clearTimeout(maxLifetimeTimeout))
    }

    return this._acquireClient(client, pendingItem, idleListener, true)
  }

  // acquire a client for a pending work item
  _acquireClient(client, pendingItem, idleListener, isNew) {
    if (isNew) {
      this.emit('connect', client)
    }

    this.emit('acquire', client)

    client.release = this._releaseOnce(client, idleListener)

    client.removeListener('error', idleListener)

    if (!pendingItem.timedOut) {
      if (isNew && this.options.verify) {
        this.options.verify(client, (err) => {
          if (err) {
            client.release(err)
            return pendingItem.callback(err, undefined, NOOP)
          }

          pendingItem.callback(undefined, client, client.release)
        })
      } else {
        pendingItem.callback(undefined, client, client.release)
      }
    } else {
      if (isNew && this.options.verify) {
        this.options.verify(client, client.release)
      } else {
        client.release()
      }
    }
  }

  // returns a function that wraps _release and throws if called more than once
  _releaseOnce(client, idleListener) {
    let released = false

    return (err) => {
      if (released) {
        throwOnDoubleRelease()
      }

      released = true
      this._release(client, idleListener, err)
    }
  }

  // release a client back to the poll, include an error
  // to remove it from the pool
  _release(client, idleListener, err) {
    client.on('error', idleListener)

    client._poolUseCount = (client._poolUseCount || 0) + 1

    this.emit('release', err, client)

    // TODO(bmc): expose a proper, public interface _queryable and _ending
    if (err || this.ending || !client._queryable || client._ending || client._poolUseCount >= this.options.maxUses) {
      if (client._poolUseCount >= this.options.maxUses) {
        this.log('remove expended client')
      }

      return this._remove(client, this._pulseQueue.bind(this))
    }

    const isExpired = this._expired.has(client)
    if (isExpired) {
      this.log('remove expired client')
      this._expired.delete(client)
      return this._remove(client, this._pulseQueue.bind(this))
    }

    // idle timeout
    let tid
    if (this.options.idleTimeoutMillis && this._isAboveMin()) {
      tid = setTimeout(() => {
        if (this._isAboveMin()) {
          this.log('remove idle client')
          this._remove(client, this._pulseQueue.bind(this))
        }
      }, this.options.idleTimeoutMillis)

      if (this.options.allowExitOnIdle) {
        // allow Node to exit if this is all that's left
        tid.unref()
      }
    }

    if (this.options.allowExitOnIdle) {
      client.unref()
    }

    this._idle.push(new IdleItem(client, idleListener, tid))
    this._pulseQueue()
  }

  query(text, values, cb) {
    // guard clause against passing a function as the first parameter
    if (typeof text === 'function') {
      const response = promisify(this.Promise, text)
      setImmediate(function () {
        return response.callback(new Error('Passing a function as the first parameter to pool.query is not supported'))
      })
      return response.result
    }

    // allow plain text query without values, but callback
    if (typeof values === 'function') {
      cb = values
      values = undefined
    }
    const response = promisify(this.Promise, cb)
    cb = response.callback

    this.connect((err, client) => {
      if (err) {
        return cb(err)
      }

      let clientReleased = false
      const onError = (err) => {
        if (clientReleased) {
          return
        }
        clientReleased = true
        client.release(err)
        cb(err)
      }

      client.once('error', onError)
      this.log('dispatching query')
      try {
        client.query(text, values, (err, res) => {
          this.log('query dispatched')
          client.removeListener('error', onError)
          if (clientReleased) {
            return
          }
          clientReleased = true
          client.release(err)
          if (err) {
            return cb(err)
          }
          return cb(undefined, res)
        })
      } catch (err) {
        client.release(err)
        return cb(err)
      }
    })
    return response.result
  }

  end(cb) {
    this.log('ending')
    if (this.ending) {
      const err = new Error('Called end on pool more than once')
      return cb ? cb(err) : this.Promise.reject(err)
    }
    this.ending = true
    const promised = promisify(this.Promise, cb)
    this._endCallback = promised.callback
    this._pulseQueue()
    return promised.result
  }

  get waitingCount() {
    return this._pendingQueue.length
  }

  get idleCount() {
    return this._idle.length
  }

  get expiredCount() {
    return this._clients.reduce((acc, client) => acc + (this._expired.has(client) ? 1 : 0), 0)
  }

  get totalCount() {
    return this._clients.length
  }
}
module.exports = Pool


/***/ }),

/***/ 9971:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.BufferReader = void 0;
class BufferReader {
    constructor(offset = 0) {
        this.offset = offset;
        this.buffer = Buffer.allocUnsafe(0);
        // TODO(bmc): support non-utf8 encoding?
        this.encoding = 'utf-8';
    }
    setBuffer(offset, buffer) {
        this.offset = offset;
        this.buffer = buffer;
    }
    int16() {
        const result = this.buffer.readInt16BE(this.offset);
        this.offset += 2;
        return result;
    }
    byte() {
        const result = this.buffer[this.offset];
        this.offset++;
        return result;
    }
    int32() {
        const result = this.buffer.readInt32BE(this.offset);
        this.offset += 4;
        return result;
    }
    uint32() {
        const result = this.buffer.readUInt32BE(this.offset);
        this.offset += 4;
        return result;
    }
    string(length) {
        const result = this.buffer.toString(this.encoding, this.offset, this.offset + length);
        this.offset += length;
        return result;
    }
    cstring() {
        const start = this.offset;
        let end = start;
        // eslint-disable-next-line no-empty
        while (this.buffer[end++]) { }
        this.offset = end;
        return this.buffer.toString(this.encoding, start, end - 1);
    }
    bytes(length) {
        const result = this.buffer.slice(this.offset, this.offset + length);
        this.offset += length;
        return result;
    }
}
exports.BufferReader = BufferReader;
//# sourceMappingURL=buffer-reader.js.map

/***/ }),

/***/ 9315:
/***/ ((__unused_webpack_module, exports) => {


//binary data writer tuned for encoding binary specific to the postgres binary protocol
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Writer = void 0;
class Writer {
    constructor(size = 256) {
        this.size = size;
        this.offset = 5;
        this.headerPosition = 0;
        this.buffer = Buffer.allocUnsafe(size);
    }
    ensure(size) {
        const remaining = this.buffer.length - this.offset;
        if (remaining < size) {
            const oldBuffer = this.buffer;
            // exponential growth factor of around ~ 1.5
            // https://stackoverflow.com/questions/2269063/buffer-growth-strategy
            const newSize = oldBuffer.length + (oldBuffer.length >> 1) + size;
            this.buffer = Buffer.allocUnsafe(newSize);
            oldBuffer.copy(this.buffer, 0, 0, this.offset);
        }
    }
    addInt32(num) {
        this.ensure(4);
        this.buffer[this.offset++] = (num >>> 24) & 0xff;
        this.buffer[this.offset++] = (num >>> 16) & 0xff;
        this.buffer[this.offset++] = (num >>> 8) & 0xff;
        this.buffer[this.offset++] = (num >>> 0) & 0xff;
        return this;
    }
    addInt16(num) {
        this.ensure(2);
        this.buffer[this.offset++] = (num >>> 8) & 0xff;
        this.buffer[this.offset++] = (num >>> 0) & 0xff;
        return this;
    }
    addCString(string) {
        if (!string) {
            this.ensure(1);
        }
        else {
            const len = Buffer.byteLength(string);
            this.ensure(len + 1); // +1 for null terminator
            this.buffer.write(string, this.offset, 'utf-8');
            this.offset += len;
        }
        this.buffer[this.offset++] = 0; // null terminator
        return this;
    }
    addString(string = '') {
        const len = Buffer.byteLength(string);
        this.ensure(len);
        this.buffer.write(string, this.offset);
        this.offset += len;
        return this;
    }
    // Write an Int32 byte-length prefix immediately followed by the string's UTF-8
    // bytes. Postgres' Bind wire format prefixes every parameter with its length,
    // and doing it in one method computes Buffer.byteLength ONCE — the previous
    // `addInt32(Buffer.byteLength(s)).addString(s)` pairing scanned the string
    // three times (byteLength for the prefix, byteLength again inside addString,
    // then the encode), which is costly for large text parameters.
    addInt32PrefixedString(string) {
        const len = Buffer.byteLength(string);
        this.ensure(4 + len);
        const buffer = this.buffer;
        let offset = this.offset;
        buffer[offset++] = (len >>> 24) & 0xff;
        buffer[offset++] = (len >>> 16) & 0xff;
        buffer[offset++] = (len >>> 8) & 0xff;
        buffer[offset++] = (len >>> 0) & 0xff;
        buffer.write(string, offset, 'utf-8');
        this.offset = offset + len;
        return this;
    }
    add(otherBuffer) {
        this.ensure(otherBuffer.length);
        otherBuffer.copy(this.buffer, this.offset);
        this.offset += otherBuffer.length;
        return this;
    }
    /**
     * Appends an uninitialized block of {@link size} bytes to the buffer and returns its offset.
     */
    reserveUnsafe(size) {
        const offset = this.offset;
        this.ensure(size);
        this.offset += size;
        return offset;
    }
    join(code) {
        if (code) {
            this.buffer[this.headerPosition] = code;
            //length is everything in this packet minus the code
            const length = this.offset - (this.headerPosition + 1);
            this.buffer.writeInt32BE(length, this.headerPosition + 1);
        }
        return this.buffer.slice(code ? 0 : 5, this.offset);
    }
    flush(code) {
        const result = this.join(code);
        this.offset = 5;
        this.headerPosition = 0;
        this.buffer = Buffer.allocUnsafe(this.size);
        return result;
    }
    clear() {
        this.offset = 5;
        this.headerPosition = 0;
    }
}
exports.Writer = Writer;
//# sourceMappingURL=buffer-writer.js.map

/***/ }),

/***/ 4233:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DatabaseError = exports.serialize = void 0;
exports.parse = parse;
const messages_1 = __nccwpck_require__(5809);
Object.defineProperty(exports, "DatabaseError", ({ enumerable: true, get: function () { return messages_1.DatabaseError; } }));
const serializer_1 = __nccwpck_require__(6513);
Object.defineProperty(exports, "serialize", ({ enumerable: true, get: function () { return serializer_1.serialize; } }));
const parser_1 = __nccwpck_require__(3318);
function parse(stream, callback) {
    const parser = new parser_1.Parser();
    stream.on('data', (buffer) => parser.parse(buffer, callback));
    return new Promise((resolve) => stream.on('end', () => resolve()));
}
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 5809:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.NoticeMessage = exports.DataRowMessage = exports.CommandCompleteMessage = exports.ReadyForQueryMessage = exports.NotificationResponseMessage = exports.BackendKeyDataMessage = exports.AuthenticationMD5Password = exports.ParameterStatusMessage = exports.ParameterDescriptionMessage = exports.RowDescriptionMessage = exports.Field = exports.CopyResponse = exports.CopyDataMessage = exports.DatabaseError = exports.copyDone = exports.emptyQuery = exports.replicationStart = exports.portalSuspended = exports.noData = exports.closeComplete = exports.bindComplete = exports.parseComplete = void 0;
exports.parseComplete = {
    name: 'parseComplete',
    length: 5,
};
exports.bindComplete = {
    name: 'bindComplete',
    length: 5,
};
exports.closeComplete = {
    name: 'closeComplete',
    length: 5,
};
exports.noData = {
    name: 'noData',
    length: 5,
};
exports.portalSuspended = {
    name: 'portalSuspended',
    length: 5,
};
exports.replicationStart = {
    name: 'replicationStart',
    length: 4,
};
exports.emptyQuery = {
    name: 'emptyQuery',
    length: 4,
};
exports.copyDone = {
    name: 'copyDone',
    length: 4,
};
class DatabaseError extends Error {
    constructor(message, length, name) {
        super(message);
        this.length = length;
        this.name = name;
    }
}
exports.DatabaseError = DatabaseError;
class CopyDataMessage {
    constructor(length, chunk) {
        this.length = length;
        this.chunk = chunk;
        this.name = 'copyData';
    }
}
exports.CopyDataMessage = CopyDataMessage;
class CopyResponse {
    constructor(length, name, binary, columnCount) {
        this.length = length;
        this.name = name;
        this.binary = binary;
        this.columnTypes = new Array(columnCount);
    }
}
exports.CopyResponse = CopyResponse;
class Field {
    constructor(name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format) {
        this.name = name;
        this.tableID = tableID;
        this.columnID = columnID;
        this.dataTypeID = dataTypeID;
        this.dataTypeSize = dataTypeSize;
        this.dataTypeModifier = dataTypeModifier;
        this.format = format;
    }
}
exports.Field = Field;
class RowDescriptionMessage {
    constructor(length, fieldCount) {
        this.length = length;
        this.fieldCount = fieldCount;
        this.name = 'rowDescription';
        this.fields = new Array(this.fieldCount);
    }
}
exports.RowDescriptionMessage = RowDescriptionMessage;
class ParameterDescriptionMessage {
    constructor(length, parameterCount) {
        this.length = length;
        this.parameterCount = parameterCount;
        this.name = 'parameterDescription';
        this.dataTypeIDs = new Array(this.parameterCount);
    }
}
exports.ParameterDescriptionMessage = ParameterDescriptionMessage;
class ParameterStatusMessage {
    constructor(length, parameterName, parameterValue) {
        this.length = length;
        this.parameterName = parameterName;
        this.parameterValue = parameterValue;
        this.name = 'parameterStatus';
    }
}
exports.ParameterStatusMessage = ParameterStatusMessage;
class AuthenticationMD5Password {
    constructor(length, salt) {
        this.length = length;
        this.salt = salt;
        this.name = 'authenticationMD5Password';
    }
}
exports.AuthenticationMD5Password = AuthenticationMD5Password;
class BackendKeyDataMessage {
    constructor(length, processID, secretKey) {
        this.length = length;
        this.processID = processID;
        this.secretKey = secretKey;
        this.name = 'backendKeyData';
    }
}
exports.BackendKeyDataMessage = BackendKeyDataMessage;
class NotificationResponseMessage {
    constructor(length, processId, channel, payload) {
        this.length = length;
        this.processId = processId;
        this.channel = channel;
        this.payload = payload;
        this.name = 'notification';
    }
}
exports.NotificationResponseMessage = NotificationResponseMessage;
class ReadyForQueryMessage {
    constructor(length, status) {
        this.length = length;
        this.status = status;
        this.name = 'readyForQuery';
    }
}
exports.ReadyForQueryMessage = ReadyForQueryMessage;
class CommandCompleteMessage {
    constructor(length, text) {
        this.length = length;
        this.text = text;
        this.name = 'commandComplete';
    }
}
exports.CommandCompleteMessage = CommandCompleteMessage;
class DataRowMessage {
    constructor(length, fields) {
        this.length = length;
        this.fields = fields;
        this.name = 'dataRow';
        this.fieldCount = fields.length;
    }
}
exports.DataRowMessage = DataRowMessage;
class NoticeMessage {
    constructor(length, message) {
        this.length = length;
        this.message = message;
        this.name = 'notice';
    }
}
exports.NoticeMessage = NoticeMessage;
//# sourceMappingURL=messages.js.map

/***/ }),

/***/ 3318:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Parser = void 0;
const messages_1 = __nccwpck_require__(5809);
const buffer_reader_1 = __nccwpck_require__(9971);
// every message is prefixed with a single byte
const CODE_LENGTH = 1;
// every message has an int32 length which includes itself but does
// NOT include the code in the length
const LEN_LENGTH = 4;
const HEADER_LENGTH = CODE_LENGTH + LEN_LENGTH;
// A placeholder for a `BackendMessage`’s length value that will be set after construction.
const LATEINIT_LENGTH = -1;
const emptyBuffer = Buffer.allocUnsafe(0);
class Parser {
    constructor(opts) {
        this.buffer = emptyBuffer;
        this.bufferLength = 0;
        this.bufferOffset = 0;
        this.reader = new buffer_reader_1.BufferReader();
        if ((opts === null || opts === void 0 ? void 0 : opts.mode) === 'binary') {
            throw new Error('Binary mode not supported yet');
        }
        this.mode = (opts === null || opts === void 0 ? void 0 : opts.mode) || 'text';
    }
    parse(buffer, callback) {
        this.mergeBuffer(buffer);
        const bufferFullLength = this.bufferOffset + this.bufferLength;
        let offset = this.bufferOffset;
        while (offset + HEADER_LENGTH <= bufferFullLength) {
            // code is 1 byte long - it identifies the message type
            const code = this.buffer[offset];
            // length is 1 Uint32BE - it is the length of the message EXCLUDING the code
            const length = this.buffer.readUInt32BE(offset + CODE_LENGTH);
            const fullMessageLength = CODE_LENGTH + length;
            if (fullMessageLength + offset <= bufferFullLength) {
                const message = this.handlePacket(offset + HEADER_LENGTH, code, length, this.buffer);
                callback(message);
                offset += fullMessageLength;
            }
            else {
                break;
            }
        }
        if (offset === bufferFullLength) {
            // No more use for the buffer
            this.buffer = emptyBuffer;
            this.bufferLength = 0;
            this.bufferOffset = 0;
        }
        else {
            // Adjust the cursors of remainingBuffer
            this.bufferLength = bufferFullLength - offset;
            this.bufferOffset = offset;
        }
    }
    mergeBuffer(buffer) {
        if (this.bufferLength > 0) {
            const newLength = this.bufferLength + buffer.byteLength;
            const newFullLength = newLength + this.bufferOffset;
            if (newFullLength > this.buffer.byteLength) {
                // We can't concat the new buffer with the remaining one
                let newBuffer;
                if (newLength <= this.buffer.byteLength && this.bufferOffset >= this.bufferLength) {
                    // We can move the relevant part to the beginning of the buffer instead of allocating a new buffer
                    newBuffer = this.buffer;
                }
                else {
                    // Allocate a new larger buffer
                    let newBufferLength = this.buffer.byteLength * 2;
                    while (newLength >= newBufferLength) {
                        newBufferLength *= 2;
                    }
                    newBuffer = Buffer.allocUnsafe(newBufferLength);
                }
                // Move the remaining buffer to the new one
                this.buffer.copy(newBuffer, 0, this.bufferOffset, this.bufferOffset + this.bufferLength);
                this.buffer = newBuffer;
                this.bufferOffset = 0;
            }
            // Concat the new buffer with the remaining one
            buffer.copy(this.buffer, this.bufferOffset + this.bufferLength);
            this.bufferLength = newLength;
        }
        else {
            this.buffer = buffer;
            this.bufferOffset = 0;
            this.bufferLength = buffer.byteLength;
        }
    }
    handlePacket(offset, code, length, bytes) {
        const { reader } = this;
        // NOTE: This undesirably retains the buffer in `this.reader` if the `parse*Message` calls below throw. However, those should only throw in the case of a protocol error, which normally results in the reader being discarded.
        reader.setBuffer(offset, bytes);
        let message;
        switch (code) {
            case 50 /* MessageCodes.BindComplete */:
                message = messages_1.bindComplete;
                break;
            case 49 /* MessageCodes.ParseComplete */:
                message = messages_1.parseComplete;
                break;
            case 51 /* MessageCodes.CloseComplete */:
                message = messages_1.closeComplete;
                break;
            case 110 /* MessageCodes.NoData */:
                message = messages_1.noData;
                break;
            case 115 /* MessageCodes.PortalSuspended */:
                message = messages_1.portalSuspended;
                break;
            case 99 /* MessageCodes.CopyDone */:
                message = messages_1.copyDone;
                break;
            case 87 /* MessageCodes.ReplicationStart */:
                message = messages_1.replicationStart;
                break;
            case 73 /* MessageCodes.EmptyQuery */:
                message = messages_1.emptyQuery;
                break;
            case 68 /* MessageCodes.DataRow */:
                message = parseDataRowMessage(reader);
                break;
            case 67 /* MessageCodes.CommandComplete */:
                message = parseCommandCompleteMessage(reader);
                break;
            case 90 /* MessageCodes.ReadyForQuery */:
                message = parseReadyForQueryMessage(reader);
                break;
            case 65 /* MessageCodes.NotificationResponse */:
                message = parseNotificationMessage(reader);
                break;
            case 82 /* MessageCodes.AuthenticationResponse */:
                message = parseAuthenticationResponse(reader, length);
                break;
            case 83 /* MessageCodes.ParameterStatus */:
                message = parseParameterStatusMessage(reader);
                break;
            case 75 /* MessageCodes.BackendKeyData */:
                message = parseBackendKeyData(reader);
                break;
            case 69 /* MessageCodes.ErrorMessage */:
                message = parseErrorMessage(reader, 'error');
                break;
            case 78 /* MessageCodes.NoticeMessage */:
                message = parseErrorMessage(reader, 'notice');
                break;
            case 84 /* MessageCodes.RowDescriptionMessage */:
                message = parseRowDescriptionMessage(reader);
                break;
            case 116 /* MessageCodes.ParameterDescriptionMessage */:
                message = parseParameterDescriptionMessage(reader);
                break;
            case 71 /* MessageCodes.CopyIn */:
                message = parseCopyInMessage(reader);
                break;
            case 72 /* MessageCodes.CopyOut */:
                message = parseCopyOutMessage(reader);
                break;
            case 100 /* MessageCodes.CopyData */:
                message = parseCopyData(reader, length);
                break;
            default:
                return new messages_1.DatabaseError('received invalid response: ' + code.toString(16), length, 'error');
        }
        reader.setBuffer(0, emptyBuffer);
        message.length = length;
        return message;
    }
}
exports.Parser = Parser;
const parseReadyForQueryMessage = (reader) => {
    const status = reader.string(1);
    return new messages_1.ReadyForQueryMessage(LATEINIT_LENGTH, status);
};
const parseCommandCompleteMessage = (reader) => {
    const text = reader.cstring();
    return new messages_1.CommandCompleteMessage(LATEINIT_LENGTH, text);
};
const parseCopyData = (reader, length) => {
    const chunk = reader.bytes(length - 4);
    return new messages_1.CopyDataMessage(LATEINIT_LENGTH, chunk);
};
const parseCopyInMessage = (reader) => parseCopyMessage(reader, 'copyInResponse');
const parseCopyOutMessage = (reader) => parseCopyMessage(reader, 'copyOutResponse');
const parseCopyMessage = (reader, messageName) => {
    const isBinary = reader.byte() !== 0;
    const columnCount = reader.int16();
    const message = new messages_1.CopyResponse(LATEINIT_LENGTH, messageName, isBinary, columnCount);
    for (let i = 0; i < columnCount; i++) {
        message.columnTypes[i] = reader.int16();
    }
    return message;
};
const parseNotificationMessage = (reader) => {
    const processId = reader.int32();
    const channel = reader.cstring();
    const payload = reader.cstring();
    return new messages_1.NotificationResponseMessage(LATEINIT_LENGTH, processId, channel, payload);
};
const parseRowDescriptionMessage = (reader) => {
    const fieldCount = reader.int16();
    const message = new messages_1.RowDescriptionMessage(LATEINIT_LENGTH, fieldCount);
    for (let i = 0; i < fieldCount; i++) {
        message.fields[i] = parseField(reader);
    }
    return message;
};
const parseField = (reader) => {
    const name = reader.cstring();
    const tableID = reader.uint32();
    const columnID = reader.int16();
    const dataTypeID = reader.uint32();
    const dataTypeSize = reader.int16();
    const dataTypeModifier = reader.int32();
    const mode = reader.int16() === 0 ? 'text' : 'binary';
    return new messages_1.Field(name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, mode);
};
const parseParameterDescriptionMessage = (reader) => {
    const parameterCount = reader.int16();
    const message = new messages_1.ParameterDescriptionMessage(LATEINIT_LENGTH, parameterCount);
    for (let i = 0; i < parameterCount; i++) {
        // OIDs are unsigned, same as dataTypeID in parseField above
        message.dataTypeIDs[i] = reader.uint32();
    }
    return message;
};
const parseDataRowMessage = (reader) => {
    const fieldCount = reader.int16();
    const fields = new Array(fieldCount);
    for (let i = 0; i < fieldCount; i++) {
        const len = reader.int32();
        // a -1 for length means the value of the field is null
        fields[i] = len === -1 ? null : reader.string(len);
    }
    return new messages_1.DataRowMessage(LATEINIT_LENGTH, fields);
};
const parseParameterStatusMessage = (reader) => {
    const name = reader.cstring();
    const value = reader.cstring();
    return new messages_1.ParameterStatusMessage(LATEINIT_LENGTH, name, value);
};
const parseBackendKeyData = (reader) => {
    const processID = reader.int32();
    const secretKey = reader.int32();
    return new messages_1.BackendKeyDataMessage(LATEINIT_LENGTH, processID, secretKey);
};
const parseAuthenticationResponse = (reader, length) => {
    const code = reader.int32();
    // TODO(bmc): maybe better types here
    const message = {
        name: 'authenticationOk',
        length,
    };
    switch (code) {
        case 0: // AuthenticationOk
            break;
        case 3: // AuthenticationCleartextPassword
            if (message.length === 8) {
                message.name = 'authenticationCleartextPassword';
            }
            break;
        case 5: // AuthenticationMD5Password
            if (message.length === 12) {
                message.name = 'authenticationMD5Password';
                const salt = reader.bytes(4);
                return new messages_1.AuthenticationMD5Password(LATEINIT_LENGTH, salt);
            }
            break;
        case 10: // AuthenticationSASL
            {
                message.name = 'authenticationSASL';
                message.mechanisms = [];
                let mechanism;
                do {
                    mechanism = reader.cstring();
                    if (mechanism) {
                        message.mechanisms.push(mechanism);
                    }
                } while (mechanism);
            }
            break;
        case 11: // AuthenticationSASLContinue
            message.name = 'authenticationSASLContinue';
            message.data = reader.string(length - 8);
            break;
        case 12: // AuthenticationSASLFinal
            message.name = 'authenticationSASLFinal';
            message.data = reader.string(length - 8);
            break;
        default:
            throw new Error('Unknown authenticationOk message type ' + code);
    }
    return message;
};
const parseErrorMessage = (reader, name) => {
    const fields = {};
    let fieldType = reader.string(1);
    while (fieldType !== '\0') {
        fields[fieldType] = reader.cstring();
        fieldType = reader.string(1);
    }
    const messageValue = fields.M;
    const message = name === 'notice'
        ? new messages_1.NoticeMessage(LATEINIT_LENGTH, messageValue)
        : new messages_1.DatabaseError(messageValue, LATEINIT_LENGTH, name);
    message.severity = fields.S;
    message.code = fields.C;
    message.detail = fields.D;
    message.hint = fields.H;
    message.position = fields.P;
    message.internalPosition = fields.p;
    message.internalQuery = fields.q;
    message.where = fields.W;
    message.schema = fields.s;
    message.table = fields.t;
    message.column = fields.c;
    message.dataType = fields.d;
    message.constraint = fields.n;
    message.file = fields.F;
    message.line = fields.L;
    message.routine = fields.R;
    return message;
};
//# sourceMappingURL=parser.js.map

/***/ }),

/***/ 6513:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.serialize = void 0;
const buffer_writer_1 = __nccwpck_require__(9315);
const writer = new buffer_writer_1.Writer();
const startup = (opts) => {
    // protocol version
    writer.addInt16(3).addInt16(0);
    for (const key of Object.keys(opts)) {
        writer.addCString(key).addCString(opts[key]);
    }
    writer.addCString('client_encoding').addCString('UTF8');
    const bodyBuffer = writer.addCString('').flush();
    // this message is sent without a code
    const length = bodyBuffer.length + 4;
    return new buffer_writer_1.Writer().addInt32(length).add(bodyBuffer).flush();
};
const requestSsl = () => {
    const response = Buffer.allocUnsafe(8);
    response.writeInt32BE(8, 0);
    response.writeInt32BE(80877103, 4);
    return response;
};
const password = (password) => {
    return writer.addCString(password).flush(112 /* code.startup */);
};
const sendSASLInitialResponseMessage = function (mechanism, initialResponse) {
    // 0x70 = 'p'
    writer.addCString(mechanism).addInt32PrefixedString(initialResponse);
    return writer.flush(112 /* code.startup */);
};
const sendSCRAMClientFinalMessage = function (additionalData) {
    return writer.addString(additionalData).flush(112 /* code.startup */);
};
const query = (text) => {
    return writer.addCString(text).flush(81 /* code.query */);
};
const emptyArray = [];
const parse = (query) => {
    // expect something like this:
    // { name: 'queryName',
    //   text: 'select * from blah',
    //   types: ['int8', 'bool'] }
    // normalize missing query names to allow for null
    const name = query.name || '';
    if (name.length > 63) {
        console.error('Warning! Postgres only supports 63 characters for query names.');
        console.error('You supplied %s (%s)', name, name.length);
        console.error('This can cause conflicts and silent errors executing queries');
    }
    const types = query.types || emptyArray;
    const len = types.length;
    const buffer = writer
        .addCString(name) // name of query
        .addCString(query.text) // actual query text
        .addInt16(len);
    for (let i = 0; i < len; i++) {
        buffer.addInt32(types[i]);
    }
    return writer.flush(80 /* code.parse */);
};
const writeValues = function (values, valueMapper, formatsOffset) {
    const len = values.length;
    for (let i = 0; i < len; i++) {
        const mappedVal = valueMapper ? valueMapper(values[i], i) : values[i];
        let formatByte = 0 /* ParamType.STRING */;
        if (mappedVal == null) {
            // write -1 to indicate null
            writer.addInt32(-1);
        }
        else if (mappedVal instanceof Buffer) {
            formatByte = 1 /* ParamType.BINARY */;
            // add the buffer to the param writer
            writer.addInt32(mappedVal.length);
            writer.add(mappedVal);
        }
        else {
            // length prefix + UTF-8 bytes in one pass (Buffer.byteLength computed once)
            writer.addInt32PrefixedString(mappedVal);
        }
        // beware: `writer` operations can replace `writer.buffer` with a new buffer
        const buf = writer.buffer;
        buf[formatsOffset++] = 0;
        buf[formatsOffset++] = formatByte;
    }
};
const bind = (config = {}) => {
    // normalize config
    const portal = config.portal || '';
    const statement = config.statement || '';
    const binary = config.binary || false;
    const values = config.values || emptyArray;
    const len = values.length;
    writer.addCString(portal).addCString(statement);
    // number of parameter format codes
    writer.addInt16(len);
    // space for those codes, filled by `writeValues`
    const formatsOffset = writer.reserveUnsafe(len * 2);
    // number of parameter values
    writer.addInt16(len);
    try {
        writeValues(values, config.valueMapper, formatsOffset);
    }
    catch (err) {
        writer.clear();
        throw err;
    }
    // all results use the same format code
    writer.addInt16(1);
    // format code
    writer.addInt16(binary ? 1 /* ParamType.BINARY */ : 0 /* ParamType.STRING */);
    return writer.flush(66 /* code.bind */);
};
const emptyExecute = Buffer.from([69 /* code.execute */, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00]);
const execute = (config) => {
    // this is the happy path for most queries
    if (!config || (!config.portal && !config.rows)) {
        return emptyExecute;
    }
    const portal = config.portal || '';
    const rows = config.rows || 0;
    const portalLength = Buffer.byteLength(portal);
    const len = 4 + portalLength + 1 + 4;
    // one extra bit for code
    const buff = Buffer.allocUnsafe(1 + len);
    buff[0] = 69 /* code.execute */;
    buff.writeInt32BE(len, 1);
    buff.write(portal, 5, 'utf-8');
    buff[portalLength + 5] = 0; // null terminate portal cString
    buff.writeUInt32BE(rows, buff.length - 4);
    return buff;
};
const cancel = (processID, secretKey) => {
    const buffer = Buffer.allocUnsafe(16);
    buffer.writeInt32BE(16, 0);
    buffer.writeInt16BE(1234, 4);
    buffer.writeInt16BE(5678, 6);
    buffer.writeInt32BE(processID, 8);
    buffer.writeInt32BE(secretKey, 12);
    return buffer;
};
const cstringMessage = (code, string) => {
    const stringLen = Buffer.byteLength(string);
    const len = 4 + stringLen + 1;
    // one extra bit for code
    const buffer = Buffer.allocUnsafe(1 + len);
    buffer[0] = code;
    buffer.writeInt32BE(len, 1);
    buffer.write(string, 5, 'utf-8');
    buffer[len] = 0; // null terminate cString
    return buffer;
};
const emptyDescribePortal = writer.addCString('P').flush(68 /* code.describe */);
const emptyDescribeStatement = writer.addCString('S').flush(68 /* code.describe */);
const describe = (msg) => {
    return msg.name
        ? cstringMessage(68 /* code.describe */, `${msg.type}${msg.name || ''}`)
        : msg.type === 'P'
            ? emptyDescribePortal
            : emptyDescribeStatement;
};
const close = (msg) => {
    const text = `${msg.type}${msg.name || ''}`;
    return cstringMessage(67 /* code.close */, text);
};
const copyData = (chunk) => {
    return writer.add(chunk).flush(100 /* code.copyFromChunk */);
};
const copyFail = (message) => {
    return cstringMessage(102 /* code.copyFail */, message);
};
const codeOnlyBuffer = (code) => Buffer.from([code, 0x00, 0x00, 0x00, 0x04]);
const flushBuffer = codeOnlyBuffer(72 /* code.flush */);
const syncBuffer = codeOnlyBuffer(83 /* code.sync */);
const endBuffer = codeOnlyBuffer(88 /* code.end */);
const copyDoneBuffer = codeOnlyBuffer(99 /* code.copyDone */);
const serialize = {
    startup,
    password,
    requestSsl,
    sendSASLInitialResponseMessage,
    sendSCRAMClientFinalMessage,
    query,
    parse,
    bind,
    execute,
    describe,
    close,
    flush: () => flushBuffer,
    sync: () => syncBuffer,
    end: () => endBuffer,
    copyData,
    copyDone: () => copyDoneBuffer,
    copyFail,
    cancel,
};
exports.serialize = serialize;
//# sourceMappingURL=serializer.js.map

/***/ }),

/***/ 1549:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var textParsers = __nccwpck_require__(4784);
var binaryParsers = __nccwpck_require__(7522);
var arrayParser = __nccwpck_require__(6471);
var builtinTypes = __nccwpck_require__(6345);

exports.getTypeParser = getTypeParser;
exports.setTypeParser = setTypeParser;
exports.arrayParser = arrayParser;
exports.builtins = builtinTypes;

var typeParsers = {
  text: {},
  binary: {}
};

//the empty parse function
function noParse (val) {
  return String(val);
};

//returns a function used to convert a specific type (specified by
//oid) into a result javascript type
//note: the oid can be obtained via the following sql query:
//SELECT oid FROM pg_type WHERE typname = 'TYPE_NAME_HERE';
function getTypeParser (oid, format) {
  format = format || 'text';
  if (!typeParsers[format]) {
    return noParse;
  }
  return typeParsers[format][oid] || noParse;
};

function setTypeParser (oid, format, parseFn) {
  if(typeof format == 'function') {
    parseFn = format;
    format = 'text';
  }
  typeParsers[format][oid] = parseFn;
};

textParsers.init(function(oid, converter) {
  typeParsers.text[oid] = converter;
});

binaryParsers.init(function(oid, converter) {
  typeParsers.binary[oid] = converter;
});


/***/ }),

/***/ 6471:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var array = __nccwpck_require__(3879);

module.exports = {
  create: function (source, transform) {
    return {
      parse: function() {
        return array.parse(source, transform);
      }
    };
  }
};


/***/ }),

/***/ 7522:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var parseInt64 = __nccwpck_require__(2299);

var parseBits = function(data, bits, offset, invert, callback) {
  offset = offset || 0;
  invert = invert || false;
  callback = callback || function(lastValue, newValue, bits) { return (lastValue * Math.pow(2, bits)) + newValue; };
  var offsetBytes = offset >> 3;

  var inv = function(value) {
    if (invert) {
      return ~value & 0xff;
    }

    return value;
  };

  // read first (maybe partial) byte
  var mask = 0xff;
  var firstBits = 8 - (offset % 8);
  if (bits < firstBits) {
    mask = (0xff << (8 - bits)) & 0xff;
    firstBits = bits;
  }

  if (offset) {
    mask = mask >> (offset % 8);
  }

  var result = 0;
  if ((offset % 8) + bits >= 8) {
    result = callback(0, inv(data[offsetBytes]) & mask, firstBits);
  }

  // read bytes
  var bytes = (bits + offset) >> 3;
  for (var i = offsetBytes + 1; i < bytes; i++) {
    result = callback(result, inv(data[i]), 8);
  }

  // bits to read, that are not a complete byte
  var lastBits = (bits + offset) % 8;
  if (lastBits > 0) {
    result = callback(result, inv(data[bytes]) >> (8 - lastBits), lastBits);
  }

  return result;
};

var parseFloatFromBits = function(data, precisionBits, exponentBits) {
  var bias = Math.pow(2, exponentBits - 1) - 1;
  var sign = parseBits(data, 1);
  var exponent = parseBits(data, exponentBits, 1);

  if (exponent === 0) {
    return 0;
  }

  // parse mantissa
  var precisionBitsCounter = 1;
  var parsePrecisionBits = function(lastValue, newValue, bits) {
    if (lastValue === 0) {
      lastValue = 1;
    }

    for (var i = 1; i <= bits; i++) {
      precisionBitsCounter /= 2;
      if ((newValue & (0x1 << (bits - i))) > 0) {
        lastValue += precisionBitsCounter;
      }
    }

    return lastValue;
  };

  var mantissa = parseBits(data, precisionBits, exponentBits + 1, false, parsePrecisionBits);

  // special cases
  if (exponent == (Math.pow(2, exponentBits + 1) - 1)) {
    if (mantissa === 0) {
      return (sign === 0) ? Infinity : -Infinity;
    }

    return NaN;
  }

  // normale number
  return ((sign === 0) ? 1 : -1) * Math.pow(2, exponent - bias) * mantissa;
};

var parseInt16 = function(value) {
  if (parseBits(value, 1) == 1) {
    return -1 * (parseBits(value, 15, 1, true) + 1);
  }

  return parseBits(value, 15, 1);
};

var parseInt32 = function(value) {
  if (parseBits(value, 1) == 1) {
    return -1 * (parseBits(value, 31, 1, true) + 1);
  }

  return parseBits(value, 31, 1);
};

var parseFloat32 = function(value) {
  return parseFloatFromBits(value, 23, 8);
};

var parseFloat64 = function(value) {
  return parseFloatFromBits(value, 52, 11);
};

var parseNumeric = function(value) {
  var sign = parseBits(value, 16, 32);
  if (sign == 0xc000) {
    return NaN;
  }

  var weight = Math.pow(10000, parseBits(value, 16, 16));
  var result = 0;

  var digits = [];
  var ndigits = parseBits(value, 16);
  for (var i = 0; i < ndigits; i++) {
    result += parseBits(value, 16, 64 + (16 * i)) * weight;
    weight /= 10000;
  }

  var scale = Math.pow(10, parseBits(value, 16, 48));
  return ((sign === 0) ? 1 : -1) * Math.round(result * scale) / scale;
};

var parseDate = function(isUTC, value) {
  var sign = parseBits(value, 1);
  var rawValue = parseBits(value, 63, 1);

  // discard usecs and shift from 2000 to 1970
  var result = new Date((((sign === 0) ? 1 : -1) * rawValue / 1000) + 946684800000);

  if (!isUTC) {
    result.setTime(result.getTime() + result.getTimezoneOffset() * 60000);
  }

  // add microseconds to the date
  result.usec = rawValue % 1000;
  result.getMicroSeconds = function() {
    return this.usec;
  };
  result.setMicroSeconds = function(value) {
    this.usec = value;
  };
  result.getUTCMicroSeconds = function() {
    return this.usec;
  };

  return result;
};

var parseArray = function(value) {
  var dim = parseBits(value, 32);

  var flags = parseBits(value, 32, 32);
  var elementType = parseBits(value, 32, 64);

  var offset = 96;
  var dims = [];
  for (var i = 0; i < dim; i++) {
    // parse dimension
    dims[i] = parseBits(value, 32, offset);
    offset += 32;

    // ignore lower bounds
    offset += 32;
  }

  var parseElement = function(elementType) {
    // parse content length
    var length = parseBits(value, 32, offset);
    offset += 32;

    // parse null values
    if (length == 0xffffffff) {
      return null;
    }

    var result;
    if ((elementType == 0x17) || (elementType == 0x14)) {
      // int/bigint
      result = parseBits(value, length * 8, offset);
      offset += length * 8;
      return result;
    }
    else if (elementType == 0x19) {
      // string
      result = value.toString(this.encoding, offset >> 3, (offset += (length << 3)) >> 3);
      return result;
    }
    else {
      console.log("ERROR: ElementType not implemented: " + elementType);
    }
  };

  var parse = function(dimension, elementType) {
    var array = [];
    var i;

    if (dimension.length > 1) {
      var count = dimension.shift();
      for (i = 0; i < count; i++) {
        array[i] = parse(dimension, elementType);
      }
      dimension.unshift(count);
    }
    else {
      for (i = 0; i < dimension[0]; i++) {
        array[i] = parseElement(elementType);
      }
    }

    return array;
  };

  return parse(dims, elementType);
};

var parseText = function(value) {
  return value.toString('utf8');
};

var parseBool = function(value) {
  if(value === null) return null;
  return (parseBits(value, 8) > 0);
};

var init = function(register) {
  register(20, parseInt64);
  register(21, parseInt16);
  register(23, parseInt32);
  register(26, parseInt32);
  register(1700, parseNumeric);
  register(700, parseFloat32);
  register(701, parseFloat64);
  register(16, parseBool);
  register(1114, parseDate.bind(null, false));
  register(1184, parseDate.bind(null, true));
  register(1000, parseArray);
  register(1007, parseArray);
  register(1016, parseArray);
  register(1008, parseArray);
  register(1009, parseArray);
  register(25, parseText);
};

module.exports = {
  init: init
};


/***/ }),

/***/ 6345:
/***/ ((module) => {

/**
 * Following query was used to generate this file:

 SELECT json_object_agg(UPPER(PT.typname), PT.oid::int4 ORDER BY pt.oid)
 FROM pg_type PT
 WHERE typnamespace = (SELECT pgn.oid FROM pg_namespace pgn WHERE nspname = 'pg_catalog') -- Take only builting Postgres types with stable OID (extension types are not guaranted to be stable)
 AND typtype = 'b' -- Only basic types
 AND typelem = 0 -- Ignore aliases
 AND typisdefined -- Ignore undefined types
 */

module.exports = {
    BOOL: 16,
    BYTEA: 17,
    CHAR: 18,
    INT8: 20,
    INT2: 21,
    INT4: 23,
    REGPROC: 24,
    TEXT: 25,
    OID: 26,
    TID: 27,
    XID: 28,
    CID: 29,
    JSON: 114,
    XML: 142,
    PG_NODE_TREE: 194,
    SMGR: 210,
    PATH: 602,
    POLYGON: 604,
    CIDR: 650,
    FLOAT4: 700,
    FLOAT8: 701,
    ABSTIME: 702,
    RELTIME: 703,
    TINTERVAL: 704,
    CIRCLE: 718,
    MACADDR8: 774,
    MONEY: 790,
    MACADDR: 829,
    INET: 869,
    ACLITEM: 1033,
    BPCHAR: 1042,
    VARCHAR: 1043,
    DATE: 1082,
    TIME: 1083,
    TIMESTAMP: 1114,
    TIMESTAMPTZ: 1184,
    INTERVAL: 1186,
    TIMETZ: 1266,
    BIT: 1560,
    VARBIT: 1562,
    NUMERIC: 1700,
    REFCURSOR: 1790,
    REGPROCEDURE: 2202,
    REGOPER: 2203,
    REGOPERATOR: 2204,
    REGCLASS: 2205,
    REGTYPE: 2206,
    UUID: 2950,
    TXID_SNAPSHOT: 2970,
    PG_LSN: 3220,
    PG_NDISTINCT: 3361,
    PG_DEPENDENCIES: 3402,
    TSVECTOR: 3614,
    TSQUERY: 3615,
    GTSVECTOR: 3642,
    REGCONFIG: 3734,
    REGDICTIONARY: 3769,
    JSONB: 3802,
    REGNAMESPACE: 4089,
    REGROLE: 4096
};


/***/ }),

/***/ 4784:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

var array = __nccwpck_require__(3879)
var arrayParser = __nccwpck_require__(6471);
var parseDate = __nccwpck_require__(2690);
var parseInterval = __nccwpck_require__(8755);
var parseByteA = __nccwpck_require__(463);

function allowNull (fn) {
  return function nullAllowed (value) {
    if (value === null) return value
    return fn(value)
  }
}

function parseBool (value) {
  if (value === null) return value
  return value === 'TRUE' ||
    value === 't' ||
    value === 'true' ||
    value === 'y' ||
    value === 'yes' ||
    value === 'on' ||
    value === '1';
}

function parseBoolArray (value) {
  if (!value) return null
  return array.parse(value, parseBool)
}

function parseBaseTenInt (string) {
  return parseInt(string, 10)
}

function parseIntegerArray (value) {
  if (!value) return null
  return array.parse(value, allowNull(parseBaseTenInt))
}

function parseBigIntegerArray (value) {
  if (!value) return null
  return array.parse(value, allowNull(function (entry) {
    return parseBigInteger(entry).trim()
  }))
}

var parsePointArray = function(value) {
  if(!value) { return null; }
  var p = arrayParser.create(value, function(entry) {
    if(entry !== null) {
      entry = parsePoint(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseFloatArray = function(value) {
  if(!value) { return null; }
  var p = arrayParser.create(value, function(entry) {
    if(entry !== null) {
      entry = parseFloat(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseStringArray = function(value) {
  if(!value) { return null; }

  var p = arrayParser.create(value);
  return p.parse();
};

var parseDateArray = function(value) {
  if (!value) { return null; }

  var p = arrayParser.create(value, function(entry) {
    if (entry !== null) {
      entry = parseDate(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseIntervalArray = function(value) {
  if (!value) { return null; }

  var p = arrayParser.create(value, function(entry) {
    if (entry !== null) {
      entry = parseInterval(entry);
    }
    return entry;
  });

  return p.parse();
};

var parseByteAArray = function(value) {
  if (!value) { return null; }

  return array.parse(value, allowNull(parseByteA));
};

var parseInteger = function(value) {
  return parseInt(value, 10);
};

var parseBigInteger = function(value) {
  var valStr = String(value);
  if (/^\d+$/.test(valStr)) { return valStr; }
  return value;
};

var parseJsonArray = function(value) {
  if (!value) { return null; }

  return array.parse(value, allowNull(JSON.parse));
};

var parsePoint = function(value) {
  if (value[0] !== '(') { return null; }

  value = value.substring( 1, value.length - 1 ).split(',');

  return {
    x: parseFloat(value[0])
  , y: parseFloat(value[1])
  };
};

var parseCircle = function(value) {
  if (value[0] !== '<' && value[1] !== '(') { return null; }

  var point = '(';
  var radius = '';
  var pointParsed = false;
  for (var i = 2; i < value.length - 1; i++){
    if (!pointParsed) {
      point += value[i];
    }

    if (value[i] === ')') {
      pointParsed = true;
      continue;
    } else if (!pointParsed) {
      continue;
    }

    if (value[i] === ','){
      continue;
    }

    radius += value[i];
  }
  var result = parsePoint(point);
  result.radius = parseFloat(radius);

  return result;
};

var init = function(register) {
  register(20, parseBigInteger); // int8
  register(21, parseInteger); // int2
  register(23, parseInteger); // int4
  register(26, parseInteger); // oid
  register(700, parseFloat); // float4/real
  register(701, parseFloat); // float8/double
  register(16, parseBool);
  register(1082, parseDate); // date
  register(1114, parseDate); // timestamp without timezone
  register(1184, parseDate); // timestamp
  register(600, parsePoint); // point
  register(651, parseStringArray); // cidr[]
  register(718, parseCircle); // circle
  register(1000, parseBoolArray);
  register(1001, parseByteAArray);
  register(1005, parseIntegerArray); // _int2
  register(1007, parseIntegerArray); // _int4
  register(1028, parseIntegerArray); // oid[]
  register(1016, parseBigIntegerArray); // _int8
  register(1017, parsePointArray); // point[]
  register(1021, parseFloatArray); // _float4
  register(1022, parseFloatArray); // _float8
  register(1231, parseFloatArray); // _numeric
  register(1014, parseStringArray); //char
  register(1015, parseStringArray); //varchar
  register(1008, parseStringArray);
  register(1009, parseStringArray);
  register(1040, parseStringArray); // macaddr[]
  register(1041, parseStringArray); // inet[]
  register(1115, parseDateArray); // timestamp without time zone[]
  register(1182, parseDateArray); // _date
  register(1185, parseDateArray); // timestamp with time zone[]
  register(1186, parseInterval);
  register(1187, parseIntervalArray);
  register(17, parseByteA);
  register(114, JSON.parse.bind(JSON)); // json
  register(3802, JSON.parse.bind(JSON)); // jsonb
  register(199, parseJsonArray); // json[]
  register(3807, parseJsonArray); // jsonb[]
  register(3907, parseStringArray); // numrange[]
  register(2951, parseStringArray); // uuid[]
  register(791, parseStringArray); // money[]
  register(1183, parseStringArray); // time[]
  register(1270, parseStringArray); // timetz[]
};

module.exports = {
  init: init
};


/***/ }),

/***/ 5042:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const EventEmitter = (__nccwpck_require__(4434).EventEmitter)
const utils = __nccwpck_require__(9652)
const nodeUtils = __nccwpck_require__(9023)
const sasl = __nccwpck_require__(948)
const TypeOverrides = __nccwpck_require__(365)

const ConnectionParameters = __nccwpck_require__(646)
const Query = __nccwpck_require__(4473)
const defaults = __nccwpck_require__(8995)
const Connection = __nccwpck_require__(9809)
const crypto = __nccwpck_require__(4150)

const activeQueryDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Client.activeQuery is deprecated and will be removed in pg@9.0'
)

const queryQueueDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Client.queryQueue is deprecated and will be removed in pg@9.0.'
)

const pgPassDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'pgpass support is deprecated and will be removed in pg@9.0. ' +
    'You can provide an async function as the password property to the Client/Pool constructor that returns a password instead. Within this function you can call the pgpass module in your own code.'
)

const byoPromiseDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Passing a custom Promise implementation to the Client/Pool constructor is deprecated and will be removed in pg@9.0.'
)

const queryQueueLengthDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0. Use async/await or an external async flow control mechanism instead.'
)

function coerceNumberOrDefault(value, defaultValue) {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : defaultValue
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value)
    return Number.isFinite(n) ? n : defaultValue
  }
  return defaultValue
}

class Client extends EventEmitter {
  constructor(config) {
    super()

    this.connectionParameters = new ConnectionParameters(config)
    this.user = this.connectionParameters.user
    this.database = this.connectionParameters.database
    this.port = this.connectionParameters.port
    this.host = this.connectionParameters.host

    // "hiding" the password so it doesn't show up in stack traces
    // or if the client is console.logged
    Object.defineProperty(this, 'password', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: this.connectionParameters.password,
    })

    this.replication = this.connectionParameters.replication

    const c = config || {}

    if (c.Promise) {
      byoPromiseDeprecationNotice()
    }
    this._Promise = c.Promise || global.Promise
    this._types = new TypeOverrides(c.types)
    this._ending = false
    this._ended = false
    this._connecting = false
    this._connected = false
    this._connectionError = false
    this._queryable = true
    this._activeQuery = null
    this._txStatus = null

    this.enableChannelBinding = Boolean(c.enableChannelBinding) // set true to use SCRAM-SHA-256-PLUS when offered
    this.scramMaxIterations = coerceNumberOrDefault(c.scramMaxIterations, sasl.DEFAULT_MAX_SCRAM_ITERATIONS)
    this.connection =
      c.connection ||
      new Connection({
        stream: c.stream,
        ssl: this.connectionParameters.ssl,
        sslNegotiation: this.connectionParameters.sslnegotiation,
        keepAlive: c.keepAlive || false,
        keepAliveInitialDelayMillis: c.keepAliveInitialDelayMillis || 0,
        encoding: this.connectionParameters.client_encoding || 'utf8',
      })
    this._queryQueue = []
    this._sentQueryQueue = []
    this.pipeline = Boolean(c.pipeline)
    this.binary = c.binary || defaults.binary
    this.processID = null
    this.secretKey = null
    this.ssl = this.connectionParameters.ssl || false
    this.sslNegotiation = this.connectionParameters.sslnegotiation || 'postgres'
    // As with Password, make SSL->Key (the private key) non-enumerable.
    // It won't show up in stack traces
    // or if the client is console.logged
    if (this.ssl && this.ssl.key) {
      Object.defineProperty(this.ssl, 'key', {
        enumerable: false,
      })
    }

    this._connectionTimeoutMillis = c.connectionTimeoutMillis || 0
  }

  get activeQuery() {
    activeQueryDeprecationNotice()
    return this._activeQuery
  }

  set activeQuery(val) {
    activeQueryDeprecationNotice()
    this._activeQuery = val
  }

  _getActiveQuery() {
    return this._activeQuery
  }

  _errorAllQueries(err) {
    const enqueueError = (query) => {
      process.nextTick(() => {
        query.handleError(err, this.connection)
      })
    }

    const activeQuery = this._getActiveQuery()
    if (activeQuery) {
      enqueueError(activeQuery)
      this._activeQuery = null
    }

    this._sentQueryQueue.forEach(enqueueError)
    this._sentQueryQueue.length = 0

    this._queryQueue.forEach(enqueueError)
    this._queryQueue.length = 0
  }

  _connect(callback) {
    const self = this
    const con = this.connection
    this._connectionCallback = callback

    if (this._connecting || this._connected) {
      const err = new Error('Client has already been connected. You cannot reuse a client.')
      process.nextTick(() => {
        callback(err)
      })
      return
    }
    this._connecting = true

    if (this._connectionTimeoutMillis > 0) {
      this.connectionTimeoutHandle = setTimeout(() => {
        con._ending = true
        con.stream.destroy(new Error('timeout expired'))
      }, this._connectionTimeoutMillis)

      if (this.connectionTimeoutHandle.unref) {
        this.connectionTimeoutHandle.unref()
      }
    }

    if (this.host && this.host.indexOf('/') === 0) {
      con.connect(this.host + '/.s.PGSQL.' + this.port)
    } else {
      con.connect(this.port, this.host)
    }

    // once connection is established send startup message
    con.on('connect', function () {
      if (self.ssl) {
        // With direct SSL negotiation the connection upgrades to TLS without an
        // SSLRequest packet, so the startup message is sent after 'sslconnect'.
        if (self.sslNegotiation !== 'direct') {
          con.requestSsl()
        }
      } else {
        con.startup(self.getStartupConf())
      }
    })

    con.on('sslconnect', function () {
      con.startup(self.getStartupConf())
    })

    this._attachListeners(con)

    con.once('end', () => {
      const error = this._ending ? new Error('Connection terminated') : new Error('Connection terminated unexpectedly')

      clearTimeout(this.connectionTimeoutHandle)
      this._errorAllQueries(error)
      this._ended = true

      if (!this._ending) {
        // if the connection is ended without us calling .end()
        // on this client then we have an unexpected disconnection
        // treat this as an error unless we've already emitted an error
        // during connection.
        if (this._connecting && !this._connectionError) {
          if (this._connectionCallback) {
            this._connectionCallback(error)
          } else {
            this._handleErrorEvent(error)
          }
        } else if (!this._connectionError) {
          this._handleErrorEvent(error)
        }
      }

      process.nextTick(() => {
        this.emit('end')
      })
    })
  }

  connect(callback) {
    if (callback) {
      this._connect(callback)
      return
    }

    return new this._Promise((resolve, reject) => {
      this._connect((error) => {
        if (error) {
          reject(error)
        } else {
          resolve(this)
        }
      })
    })
  }

  _attachListeners(con) {
    // password request handling
    con.on('authenticationCleartextPassword', this._handleAuthCleartextPassword.bind(this))
    // password request handling
    con.on('authenticationMD5Password', this._handleAuthMD5Password.bind(this))
    // password request handling (SASL)
    con.on('authenticationSASL', this._handleAuthSASL.bind(this))
    con.on('authenticationSASLContinue', this._handleAuthSASLContinue.bind(this))
    con.on('authenticationSASLFinal', this._handleAuthSASLFinal.bind(this))
    con.on('backendKeyData', this._handleBackendKeyData.bind(this))
    con.on('error', this._handleErrorEvent.bind(this))
    con.on('errorMessage', this._handleErrorMessage.bind(this))
    con.on('readyForQuery', this._handleReadyForQuery.bind(this))
    con.on('notice', this._handleNotice.bind(this))
    con.on('rowDescription', this._handleRowDescription.bind(this))
    con.on('dataRow', this._handleDataRow.bind(this))
    con.on('portalSuspended', this._handlePortalSuspended.bind(this))
    con.on('emptyQuery', this._handleEmptyQuery.bind(this))
    con.on('commandComplete', this._handleCommandComplete.bind(this))
    con.on('parseComplete', this._handleParseComplete.bind(this))
    con.on('copyInResponse', this._handleCopyInResponse.bind(this))
    con.on('copyData', this._handleCopyData.bind(this))
    con.on('notification', this._handleNotification.bind(this))
  }

  _getPassword(cb) {
    const con = this.connection
    if (typeof this.password === 'function') {
      this._Promise
        .resolve()
        .then(() => this.password(this.connectionParameters))
        .then((pass) => {
          if (pass !== undefined) {
            if (typeof pass !== 'string') {
              con.emit('error', new TypeError('Password must be a string'))
              return
            }
            this.connectionParameters.password = this.password = pass
          } else {
            this.connectionParameters.password = this.password = null
          }
          cb()
        })
        .catch((err) => {
          con.emit('error', err)
        })
    } else if (this.password !== null) {
      cb()
    } else {
      try {
        const pgPass = __nccwpck_require__(3272)
        pgPass(this.connectionParameters, (pass) => {
          if (undefined !== pass) {
            pgPassDeprecationNotice()
            this.connectionParameters.password = this.password = pass
          }
          cb()
        })
      } catch (e) {
        this.emit('error', e)
      }
    }
  }

  _handleAuthCleartextPassword(msg) {
    this._getPassword(() => {
      this.connection.password(this.password)
    })
  }

  _handleAuthMD5Password(msg) {
    this._getPassword(async () => {
      try {
        const hashedPassword = await crypto.postgresMd5PasswordHash(this.user, this.password, msg.salt)
        this.connection.password(hashedPassword)
      } catch (e) {
        this.emit('error', e)
      }
    })
  }

  _handleAuthSASL(msg) {
    this._getPassword(() => {
      try {
        this.saslSession = sasl.startSession(
          msg.mechanisms,
          this.enableChannelBinding && this.connection.stream,
          this.scramMaxIterations
        )
        this.connection.sendSASLInitialResponseMessage(this.saslSession.mechanism, this.saslSession.response)
      } catch (err) {
        this.connection.emit('error', err)
      }
    })
  }

  async _handleAuthSASLContinue(msg) {
    try {
      await sasl.continueSession(
        this.saslSession,
        this.password,
        msg.data,
        this.enableChannelBinding && this.connection.stream
      )
      this.connection.sendSCRAMClientFinalMessage(this.saslSession.response)
    } catch (err) {
      this.connection.emit('error', err)
    }
  }

  _handleAuthSASLFinal(msg) {
    try {
      sasl.finalizeSession(this.saslSession, msg.data)
      this.saslSession = null
    } catch (err) {
      this.connection.emit('error', err)
    }
  }

  _handleBackendKeyData(msg) {
    this.processID = msg.processID
    this.secretKey = msg.secretKey
  }

  _handleReadyForQuery(msg) {
    if (this._connecting) {
      this._connecting = false
      this._connected = true
      clearTimeout(this.connectionTimeoutHandle)

      // process possible callback argument to Client#connect
      if (this._connectionCallback) {
        this._connectionCallback(null, this)
        // remove callback for proper error handling
        // after the connect event
        this._connectionCallback = null
      }
      this.emit('connect')
    }
    const activeQuery = this._getActiveQuery()
    this._activeQuery = null
    this._txStatus = msg?.status ?? null
    this.readyForQuery = true
    if (activeQuery) {
      activeQuery.handleReadyForQuery(this.connection)
    }
    this._pulseQueryQueue()
  }

  // if we receive an error event or error message
  // during the connection process we handle it here
  _handleErrorWhileConnecting(err) {
    if (this._connectionError) {
      // TODO(bmc): this is swallowing errors - we shouldn't do this
      return
    }
    this._connectionError = true
    clearTimeout(this.connectionTimeoutHandle)
    if (this._connectionCallback) {
      return this._connectionCallback(err)
    }
    this.emit('error', err)
  }

  // if we're connected and we receive an error event from the connection
  // this means the socket is dead - do a hard abort of all queries and emit
  // the socket error on the client as well
  _handleErrorEvent(err) {
    if (this._connecting) {
      return this._handleErrorWhileConnecting(err)
    }
    this._queryable = false
    this._errorAllQueries(err)
    this.emit('error', err)
  }

  // handle error messages from the postgres backend
  _handleErrorMessage(msg) {
    if (this._connecting) {
      return this._handleErrorWhileConnecting(msg)
    }
    const activeQuery = this._getActiveQuery()

    if (!activeQuery) {
      this._handleErrorEvent(msg)
      return
    }

    this._activeQuery = null
    if (activeQuery.name) {
      delete this.connection.submittedNamedStatements[activeQuery.name]
    }
    activeQuery.handleError(msg, this.connection)
  }

  _handleRowDescription(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected rowDescription message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate rowDescription to active query
    activeQuery.handleRowDescription(msg)
  }

  _handleDataRow(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected dataRow message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate dataRow to active query
    activeQuery.handleDataRow(msg)
  }

  _handlePortalSuspended(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected portalSuspended message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate portalSuspended to active query
    activeQuery.handlePortalSuspended(this.connection)
  }

  _handleEmptyQuery(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected emptyQuery message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate emptyQuery to active query
    activeQuery.handleEmptyQuery(this.connection)
  }

  _handleCommandComplete(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected commandComplete message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // delegate commandComplete to active query
    activeQuery.handleCommandComplete(msg, this.connection)
  }

  _handleParseComplete() {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected parseComplete message from backend.')
      this._handleErrorEvent(error)
      return
    }
    // if a prepared statement has a name and properly parses
    // we track that its already been executed so we don't parse
    // it again on the same client
    if (activeQuery.name) {
      this.connection.parsedStatements[activeQuery.name] = activeQuery.text
      delete this.connection.submittedNamedStatements[activeQuery.name]
    }
  }

  _handleCopyInResponse(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected copyInResponse message from backend.')
      this._handleErrorEvent(error)
      return
    }
    activeQuery.handleCopyInResponse(this.connection)
  }

  _handleCopyData(msg) {
    const activeQuery = this._getActiveQuery()
    if (activeQuery == null) {
      const error = new Error('Received unexpected copyData message from backend.')
      this._handleErrorEvent(error)
      return
    }
    activeQuery.handleCopyData(msg, this.connection)
  }

  _handleNotification(msg) {
    this.emit('notification', msg)
  }

  _handleNotice(msg) {
    this.emit('notice', msg)
  }

  getStartupConf() {
    const params = this.connectionParameters

    const data = {
      user: params.user,
      database: params.database,
    }

    const appName = params.application_name || params.fallback_application_name
    if (appName) {
      data.application_name = appName
    }
    if (params.replication) {
      data.replication = '' + params.replication
    }
    if (params.statement_timeout) {
      data.statement_timeout = String(parseInt(params.statement_timeout, 10))
    }
    if (params.lock_timeout) {
      data.lock_timeout = String(parseInt(params.lock_timeout, 10))
    }
    if (params.idle_in_transaction_session_timeout) {
      data.idle_in_transaction_session_timeout = String(parseInt(params.idle_in_transaction_session_timeout, 10))
    }
    if (params.options) {
      data.options = params.options
    }

    return data
  }

  cancel(client, query) {
    if (client.activeQuery === query) {
      const con = this.connection

      if (this.host && this.host.indexOf('/') === 0) {
        con.connect(this.host + '/.s.PGSQL.' + this.port)
      } else {
        con.connect(this.port, this.host)
      }

      // once connection is established send cancel message
      con.on('connect', function () {
        con.cancel(client.processID, client.secretKey)
      })
    } else if (client._queryQueue.indexOf(query) !== -1) {
      client._queryQueue.splice(client._queryQueue.indexOf(query), 1)
    } else if (client._sentQueryQueue.indexOf(query) !== -1) {
      // Query already sent on wire — can't remove it without corrupting the
      // pipeline. No-op the callback so the result is silently discarded.
      query.callback = () => {}
    }
  }

  setTypeParser(oid, format, parseFn) {
    return this._types.setTypeParser(oid, format, parseFn)
  }

  getTypeParser(oid, format) {
    return this._types.getTypeParser(oid, format)
  }

  // escapeIdentifier and escapeLiteral moved to utility functions & exported
  // on PG
  // re-exported here for backwards compatibility
  escapeIdentifier(str) {
    return utils.escapeIdentifier(str)
  }

  escapeLiteral(str) {
    return utils.escapeLiteral(str)
  }

  _pulseQueryQueue() {
    if (this.pipeline) {
      this._pulsePipelinedQueryQueue()
      return
    }
    if (this.readyForQuery === true) {
      this._activeQuery = this._queryQueue.shift()
      const activeQuery = this._getActiveQuery()
      if (activeQuery) {
        this.readyForQuery = false
        this.hasExecuted = true

        const queryError = activeQuery.submit(this.connection)
        if (queryError) {
          process.nextTick(() => {
            activeQuery.handleError(queryError, this.connection)
            this.readyForQuery = true
            this._pulseQueryQueue()
          })
        }
      } else if (this.hasExecuted) {
        this._activeQuery = null
        this.emit('drain')
      }
    }
  }

  _pulsePipelinedQueryQueue() {
    if (!this._connected || !this._queryable) {
      return
    }
    while (this._queryQueue.length > 0) {
      const query = this._queryQueue.shift()
      this.hasExecuted = true
      const queryError = query.submit(this.connection)
      if (queryError) {
        process.nextTick(() => {
          query.handleError(queryError, this.connection)
        })
        continue
      }
      this._sentQueryQueue.push(query)
    }
    if (this.readyForQuery && !this._activeQuery && this._sentQueryQueue.length > 0) {
      this._activeQuery = this._sentQueryQueue.shift()
      this.readyForQuery = false
    }
    if (!this._activeQuery && this._sentQueryQueue.length === 0 && this._queryQueue.length === 0 && this.hasExecuted) {
      this.emit('drain')
    }
  }

  query(config, values, callback) {
    // can take in strings, config object or query object
    let query
    let result

    if (config == null) {
      throw new TypeError('Client was passed a null or undefined query')
    }

    if (typeof config.submit === 'function') {
      result = query = config
      if (!query.callback) {
        if (typeof values === 'function') {
          query.callback = values
        } else if (callback) {
          query.callback = callback
        }
      }
    } else {
      query = new Query(config, values, callback)
      if (!query.callback) {
        result = new this._Promise((resolve, reject) => {
          query.callback = (err, res) => (err ? reject(err) : resolve(res))
        }).catch((err) => {
          // replace the stack trace that leads to `TCP.onStreamRead` with one that leads back to the
          // application that created the query
          Error.captureStackTrace(err)
          throw err
        })
      } else if (typeof query.callback !== 'function') {
        throw new TypeError('callback is not a function')
      }
    }

    const readTimeout = config.query_timeout || this.connectionParameters.query_timeout
    if (readTimeout) {
      const queryCallback = query.callback || (() => {})

      const readTimeoutTimer = setTimeout(() => {
        const error = new Error('Query read timeout')

        process.nextTick(() => {
          query.handleError(error, this.connection)
        })

        queryCallback(error)

        // we already returned an error,
        // just do nothing if query completes
        query.callback = () => {}

        // Remove from queue (only safe if not yet sent)
        const index = this._queryQueue.indexOf(query)
        if (index > -1) {
          this._queryQueue.splice(index, 1)
        } else if (this.pipeline) {
          // Query already sent — the pipeline is blocked until it completes.
          // Destroy the connection to unblock all remaining pipelined queries.
          this.connection.stream.destroy()
          return
        }

        this._pulseQueryQueue()
      }, readTimeout)

      query.callback = (err, res) => {
        clearTimeout(readTimeoutTimer)
        queryCallback(err, res)
      }
    }

    if (this.binary && !query.binary) {
      query.binary = true
    }

    if (query._result && !query._result._types) {
      query._result._types = this._types
    }

    // A query that keeps a portal open across round trips cannot share a pipelined connection: the
    // queries written behind it are answered out of its portal, so rows land on the wrong query and
    // the reads that follow fail with 'portal does not exist'. Refuse it instead of corrupting.
    if (this.pipeline) {
      const portalQuery =
        typeof config.submit === 'function' && !(query instanceof Query)
          ? 'Custom query classes such as pg-cursor and pg-query-stream are'
          : query.rows
          ? 'The `rows` option is'
          : null
      if (portalQuery) {
        process.nextTick(() => {
          query.handleError(new Error(`${portalQuery} not supported in pipeline mode`), this.connection)
        })
        return result
      }
    }

    if (!this._queryable) {
      process.nextTick(() => {
        query.handleError(new Error('Client has encountered a connection error and is not queryable'), this.connection)
      })
      return result
    }

    if (this._ending) {
      process.nextTick(() => {
        query.handleError(new Error('Client was closed and is not queryable'), this.connection)
      })
      return result
    }

    if (this._queryQueue.length > 0 && !this.pipeline) {
      queryQueueLengthDeprecationNotice()
    }
    this._queryQueue.push(query)
    this._pulseQueryQueue()
    return result
  }

  ref() {
    this.connection.ref()
  }

  unref() {
    this.connection.unref()
  }

  getTransactionStatus() {
    return this._txStatus
  }

  end(cb) {
    this._ending = true

    // if we have never connected, then end is a noop, callback immediately
    if (!this.connection._connecting || this._ended) {
      if (cb) {
        cb()
        return
      } else {
        return this._Promise.resolve()
      }
    }

    if (!this._queryable) {
      // socket is dead — force close
      this.connection.stream.destroy()
    } else if (
      this.pipeline &&
      (this._getActiveQuery() || this._sentQueryQueue.length > 0 || this._queryQueue.length > 0)
    ) {
      // pipelined queries are already on the wire (or queued to send) and will
      // complete normally; wait for drain then do a graceful goodbye
      this.once('drain', () => this.connection.end())
    } else if (this._getActiveQuery()) {
      // non-pipeline: a hung query could block end forever — force disconnect
      this.connection.stream.destroy()
    } else {
      this.connection.end()
    }

    if (cb) {
      this.connection.once('end', cb)
    } else {
      return new this._Promise((resolve) => {
        this.connection.once('end', resolve)
      })
    }
  }
  get queryQueue() {
    queryQueueDeprecationNotice()
    return this._queryQueue
  }
}

// expose a Query constructor
Client.Query = Query

module.exports = Client


/***/ }),

/***/ 646:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const dns = __nccwpck_require__(2250)

const defaults = __nccwpck_require__(8995)

const parse = (__nccwpck_require__(6122).parse) // parses a connection string

const val = function (key, config, envVar) {
  if (config[key]) {
    return config[key]
  }

  if (envVar === undefined) {
    envVar = process.env['PG' + key.toUpperCase()]
  } else if (envVar === false) {
    // do nothing ... use false
  } else {
    envVar = process.env[envVar]
  }

  return envVar || defaults[key]
}

const readSSLConfigFromEnvironment = function () {
  switch (process.env.PGSSLMODE) {
    case 'disable':
      return false
    case 'prefer':
    case 'require':
    case 'verify-ca':
    case 'verify-full':
      return true
    case 'no-verify':
      return { rejectUnauthorized: false }
  }
  return defaults.ssl
}

// Convert arg to a string, surround in single quotes, and escape single quotes and backslashes
const quoteParamValue = function (value) {
  return "'" + ('' + value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'"
}

const add = function (params, config, paramName) {
  const value = config[paramName]
  if (value !== undefined && value !== null) {
    params.push(paramName + '=' + quoteParamValue(value))
  }
}

class ConnectionParameters {
  constructor(config) {
    // if a string is passed, it is a raw connection string so we parse it into a config
    config = typeof config === 'string' ? parse(config) : config || {}

    // if the config has a connectionString defined, parse IT into the config we use
    // this will override other default values with what is stored in connectionString
    if (config.connectionString) {
      config = Object.assign({}, config, parse(config.connectionString))
    }

    this.user = val('user', config)
    this.database = val('database', config)

    if (this.database === undefined) {
      this.database = this.user
    }

    this.port = parseInt(val('port', config), 10)
    this.host = val('host', config)

    // "hiding" the password so it doesn't show up in stack traces
    // or if the client is console.logged
    Object.defineProperty(this, 'password', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: val('password', config),
    })

    this.binary = val('binary', config)
    this.options = val('options', config)

    this.ssl = typeof config.ssl === 'undefined' ? readSSLConfigFromEnvironment() : config.ssl

    if (typeof this.ssl === 'string') {
      if (this.ssl === 'true') {
        this.ssl = true
      }
    }
    // support passing in ssl=no-verify via connection string
    if (this.ssl === 'no-verify') {
      this.ssl = { rejectUnauthorized: false }
    }
    if (this.ssl && this.ssl.key) {
      Object.defineProperty(this.ssl, 'key', {
        enumerable: false,
      })
    }

    // How to negotiate SSL: 'postgres' (default, the traditional SSLRequest
    // handshake) or 'direct' (start the TLS handshake immediately on connect).
    this.sslnegotiation = val('sslnegotiation', config, 'PGSSLNEGOTIATION')
    if (this.sslnegotiation !== undefined && this.sslnegotiation !== 'postgres' && this.sslnegotiation !== 'direct') {
      throw new Error(
        `Invalid sslnegotiation value: "${this.sslnegotiation}". Valid values are "postgres" and "direct".`
      )
    }
    if (this.sslnegotiation === 'direct' && !this.ssl) {
      throw new Error('sslnegotiation=direct requires SSL to be enabled')
    }

    this.client_encoding = val('client_encoding', config)
    this.replication = val('replication', config)
    // a domain socket begins with '/'
    this.isDomainSocket = !(this.host || '').indexOf('/')

    this.application_name = val('application_name', config, 'PGAPPNAME')
    this.fallback_application_name = val('fallback_application_name', config, false)
    this.statement_timeout = val('statement_timeout', config, false)
    this.lock_timeout = val('lock_timeout', config, false)
    this.idle_in_transaction_session_timeout = val('idle_in_transaction_session_timeout', config, false)
    this.query_timeout = val('query_timeout', config, false)

    if (config.connectionTimeoutMillis === undefined) {
      this.connect_timeout = process.env.PGCONNECT_TIMEOUT || 0
    } else {
      this.connect_timeout = Math.floor(config.connectionTimeoutMillis / 1000)
    }

    if (config.keepAlive === false) {
      this.keepalives = 0
    } else if (config.keepAlive === true) {
      this.keepalives = 1
    }

    if (typeof config.keepAliveInitialDelayMillis === 'number') {
      this.keepalives_idle = Math.floor(config.keepAliveInitialDelayMillis / 1000)
    }
  }

  getLibpqConnectionString(cb) {
    const params = []
    add(params, this, 'user')
    add(params, this, 'password')
    add(params, this, 'port')
    add(params, this, 'application_name')
    add(params, this, 'fallback_application_name')
    add(params, this, 'connect_timeout')
    add(params, this, 'options')

    const ssl = typeof this.ssl === 'object' ? this.ssl : this.ssl ? { sslmode: this.ssl } : {}
    add(params, ssl, 'sslmode')
    add(params, ssl, 'sslca')
    add(params, ssl, 'sslkey')
    add(params, ssl, 'sslcert')
    add(params, ssl, 'sslrootcert')
    add(params, this, 'sslnegotiation')

    if (this.database) {
      params.push('dbname=' + quoteParamValue(this.database))
    }
    if (this.replication) {
      params.push('replication=' + quoteParamValue(this.replication))
    }
    if (this.host) {
      params.push('host=' + quoteParamValue(this.host))
    }
    if (this.isDomainSocket) {
      return cb(null, params.join(' '))
    }
    if (this.client_encoding) {
      params.push('client_encoding=' + quoteParamValue(this.client_encoding))
    }
    dns.lookup(this.host, function (err, address) {
      if (err) return cb(err, null)
      params.push('hostaddr=' + quoteParamValue(address))
      return cb(null, params.join(' '))
    })
  }
}

module.exports = ConnectionParameters


/***/ }),

/***/ 9809:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const EventEmitter = (__nccwpck_require__(4434).EventEmitter)

const { parse, serialize } = __nccwpck_require__(4233)
const stream = __nccwpck_require__(829)
const { getStream } = stream

const flushBuffer = serialize.flush()
const syncBuffer = serialize.sync()
const endBuffer = serialize.end()

// TODO(bmc) support binary mode at some point
class Connection extends EventEmitter {
  constructor(config) {
    super()
    config = config || {}

    this.stream = config.stream || getStream(config.ssl)
    if (typeof this.stream === 'function') {
      this.stream = this.stream(config)
    }

    this._keepAlive = config.keepAlive
    this._keepAliveInitialDelayMillis = config.keepAliveInitialDelayMillis
    this.parsedStatements = {}
    this.submittedNamedStatements = {}
    this.ssl = config.ssl || false
    this.sslNegotiation = config.sslNegotiation || 'postgres'
    this._ending = false
    this._emitMessage = false
    const self = this
    this.on('newListener', function (eventName) {
      if (eventName === 'message') {
        self._emitMessage = true
      }
    })
  }

  connect(port, host) {
    const self = this

    this._connecting = true
    this.stream.setNoDelay(true)
    this.stream.connect(port, host)

    this.stream.once('connect', function () {
      if (self._keepAlive) {
        self.stream.setKeepAlive(true, self._keepAliveInitialDelayMillis)
      }
      self.emit('connect')
    })

    const reportStreamError = function (error) {
      // errors about disconnections should be ignored during disconnect
      if (self._ending && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        return
      }
      self.emit('error', error)
    }
    this.stream.on('error', reportStreamError)

    this.stream.on('close', function () {
      self.emit('end')
    })

    if (!this.ssl) {
      return this.attachListeners(this.stream)
    }

    // With direct SSL negotiation the TLS handshake starts immediately on the
    // raw socket, skipping the SSLRequest packet and the server's 'S'/'N' reply.
    if (this.sslNegotiation === 'direct') {
      return this.stream.once('connect', function () {
        self.upgradeToSSL(host, reportStreamError)
      })
    }

    this.stream.once('data', function (buffer) {
      const responseCode = buffer.toString('utf8')
      switch (responseCode) {
        case 'S': // Server supports SSL connections, continue with a secure connection
          break
        case 'N': // Server does not support SSL connections
          self.stream.end()
          return self.emit('error', new Error('The server does not support SSL connections'))
        default:
          // Any other response byte, including 'E' (ErrorResponse) indicating a server error
          self.stream.end()
          return self.emit('error', new Error('There was an error establishing an SSL connection'))
      }
      self.upgradeToSSL(host, reportStreamError)
    })
  }

  upgradeToSSL(host, reportStreamError) {
    const self = this
    const options = {
      socket: self.stream,
      // tls.connect checks the server identity against `servername`, falling
      // back to `host` and then to 'localhost'. `servername` must stay unset
      // for IP addresses (see below), so `host` is needed to keep certificate
      // validation working when connecting to an IP address.
      host,
    }

    if (self.ssl !== true) {
      Object.assign(options, self.ssl)

      if ('key' in self.ssl) {
        options.key = self.ssl.key
      }
    }

    // Direct SSL negotiation requires ALPN so the server can confirm it is
    // speaking the PostgreSQL protocol over the TLS connection.
    if (self.sslNegotiation === 'direct') {
      options.ALPNProtocols = ['postgresql']
    }

    // SNI must not be set to an IP address (RFC 6066 section 3)
    const net = __nccwpck_require__(9278)
    if (net.isIP && net.isIP(host) === 0) {
      options.servername = host
    }
    try {
      self.stream = stream.getSecureStream(options)
    } catch (err) {
      return self.emit('error', err)
    }
    self.attachListeners(self.stream)
    self.stream.on('error', reportStreamError)

    self.emit('sslconnect')
  }

  attachListeners(stream) {
    parse(stream, (msg) => {
      const eventName = msg.name === 'error' ? 'errorMessage' : msg.name
      if (this._emitMessage) {
        this.emit('message', msg)
      }
      this.emit(eventName, msg)
    })
  }

  requestSsl() {
    this.stream.write(serialize.requestSsl())
  }

  startup(config) {
    this.stream.write(serialize.startup(config))
  }

  cancel(processID, secretKey) {
    this._send(serialize.cancel(processID, secretKey))
  }

  password(password) {
    this._send(serialize.password(password))
  }

  sendSASLInitialResponseMessage(mechanism, initialResponse) {
    this._send(serialize.sendSASLInitialResponseMessage(mechanism, initialResponse))
  }

  sendSCRAMClientFinalMessage(additionalData) {
    this._send(serialize.sendSCRAMClientFinalMessage(additionalData))
  }

  _send(buffer) {
    if (!this.stream.writable) {
      return false
    }
    return this.stream.write(buffer)
  }

  query(text) {
    this._send(serialize.query(text))
  }

  // send parse message
  parse(query) {
    this._send(serialize.parse(query))
  }

  // send bind message
  bind(config) {
    this._send(serialize.bind(config))
  }

  // send execute message
  execute(config) {
    this._send(serialize.execute(config))
  }

  flush() {
    if (this.stream.writable) {
      this.stream.write(flushBuffer)
    }
  }

  sync() {
    // Sync is the extended-query protocol barrier, not a disconnect.
    // Only end()/Terminate (and connect-timeout teardown) should set _ending.
    this._send(syncBuffer)
  }

  ref() {
    this.stream.ref()
  }

  unref() {
    this.stream.unref()
  }

  end() {
    // 0x58 = 'X'
    this._ending = true
    if (!this._connecting || !this.stream.writable) {
      this.stream.end()
      return
    }
    return this.stream.write(endBuffer, () => {
      this.stream.end()
    })
  }

  close(msg) {
    this._send(serialize.close(msg))
  }

  describe(msg) {
    this._send(serialize.describe(msg))
  }

  sendCopyFromChunk(chunk) {
    this._send(serialize.copyData(chunk))
  }

  endCopyFrom() {
    this._send(serialize.copyDone())
  }

  sendCopyFail(msg) {
    this._send(serialize.copyFail(msg))
  }
}

module.exports = Connection


/***/ }),

/***/ 9765:
/***/ ((module) => {

function x509Error(msg, cert) {
  return new Error('SASL channel binding: ' + msg + ' when parsing public certificate ' + cert.toString('base64'))
}

function readASN1Length(data, index) {
  let length = data[index++]
  if (length < 0x80) return { length, index }

  const lengthBytes = length & 0x7f
  if (lengthBytes > 4) throw x509Error('bad length', data)

  length = 0
  for (let i = 0; i < lengthBytes; i++) {
    length = (length << 8) | data[index++]
  }

  return { length, index }
}

function readASN1OID(data, index) {
  if (data[index++] !== 0x6) throw x509Error('non-OID data', data) // 6 = OID

  const { length: OIDLength, index: indexAfterOIDLength } = readASN1Length(data, index)
  index = indexAfterOIDLength
  const lastIndex = index + OIDLength

  const byte1 = data[index++]
  let oid = ((byte1 / 40) >> 0) + '.' + (byte1 % 40)

  while (index < lastIndex) {
    // loop over numbers in OID
    let value = 0
    while (index < lastIndex) {
      // loop over bytes in number
      const nextByte = data[index++]
      value = (value << 7) | (nextByte & 0x7f)
      if (nextByte < 0x80) break
    }
    oid += '.' + value
  }

  return { oid, index }
}

function expectASN1Seq(data, index) {
  if (data[index++] !== 0x30) throw x509Error('non-sequence data', data) // 30 = Sequence
  return readASN1Length(data, index)
}

function signatureAlgorithmHashFromCertificate(data, index) {
  // read this thread: https://www.postgresql.org/message-id/17760-b6c61e752ec07060%40postgresql.org
  if (index === undefined) index = 0
  index = expectASN1Seq(data, index).index
  const { length: certInfoLength, index: indexAfterCertInfoLength } = expectASN1Seq(data, index)
  index = indexAfterCertInfoLength + certInfoLength // skip over certificate info
  index = expectASN1Seq(data, index).index // skip over signature length field
  const { oid, index: indexAfterOID } = readASN1OID(data, index)
  switch (oid) {
    // RSA
    case '1.2.840.113549.1.1.4':
      return 'MD5'
    case '1.2.840.113549.1.1.5':
      return 'SHA-1'
    case '1.2.840.113549.1.1.11':
      return 'SHA-256'
    case '1.2.840.113549.1.1.12':
      return 'SHA-384'
    case '1.2.840.113549.1.1.13':
      return 'SHA-512'
    case '1.2.840.113549.1.1.14':
      return 'SHA-224'
    case '1.2.840.113549.1.1.15':
      return 'SHA512-224'
    case '1.2.840.113549.1.1.16':
      return 'SHA512-256'
    // ECDSA
    case '1.2.840.10045.4.1':
      return 'SHA-1'
    case '1.2.840.10045.4.3.1':
      return 'SHA-224'
    case '1.2.840.10045.4.3.2':
      return 'SHA-256'
    case '1.2.840.10045.4.3.3':
      return 'SHA-384'
    case '1.2.840.10045.4.3.4':
      return 'SHA-512'
    // RSASSA-PSS: hash is indicated separately
    case '1.2.840.113549.1.1.10': {
      index = indexAfterOID
      index = expectASN1Seq(data, index).index
      if (data[index++] !== 0xa0) throw x509Error('non-tag data', data) // a0 = constructed tag 0
      index = readASN1Length(data, index).index // skip over tag length field
      index = expectASN1Seq(data, index).index // skip over sequence length field
      const { oid: hashOID } = readASN1OID(data, index)
      switch (hashOID) {
        // standalone hash OIDs
        case '1.2.840.113549.2.5':
          return 'MD5'
        case '1.3.14.3.2.26':
          return 'SHA-1'
        case '2.16.840.1.101.3.4.2.1':
          return 'SHA-256'
        case '2.16.840.1.101.3.4.2.2':
          return 'SHA-384'
        case '2.16.840.1.101.3.4.2.3':
          return 'SHA-512'
      }
      throw x509Error('unknown hash OID ' + hashOID, data)
    }
    // Ed25519 -- see https://github.com/openssl/openssl/issues/15477
    case '1.3.101.110':
    case '1.3.101.112': // ph
      return 'SHA-512'
    // Ed448 -- still not in pg 17.2 (if supported, digest would be SHAKE256 x 64 bytes)
    case '1.3.101.111':
    case '1.3.101.113': // ph
      throw x509Error('Ed448 certificate channel binding is not currently supported by Postgres')
  }
  throw x509Error('unknown OID ' + oid, data)
}

module.exports = { signatureAlgorithmHashFromCertificate }


/***/ }),

/***/ 948:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const crypto = __nccwpck_require__(4150)
const { signatureAlgorithmHashFromCertificate } = __nccwpck_require__(9765)

// SASLprep (RFC 4013) — minimal in-tree implementation.
//
// Per RFC 5802 §2.2, the SCRAM-SHA-256 client must normalize the password via
// SASLprep before feeding it into PBKDF2. PostgreSQL's server applies the same
// SASLprep when computing the stored verifier, and libpq does the same client
// side, so passwords whose NFKC form differs from the raw form
// would otherwise authenticate against psql/libpq but fail against pg with `28P01`.
//
// We deliberately implement only the three steps that change the byte content:
//   1. RFC 3454 Table C.1.2 (non-ASCII space) → U+0020 SPACE.
//   2. RFC 3454 Table B.1 (commonly mapped to nothing) → empty.
//   3. NFKC normalization.
// We skip the prohibition (RFC 4013 §2.3) and bidi (RFC 3454 §6) checks.
// libpq is forgiving on those paths and Postgres's own SASLprep matches that
// leniency for legacy roles, so omitting the rejection logic keeps existing
// roles working without adding complexity.
function saslprep(password) {
  // RFC 3454 Table C.1.2 — non-ASCII space characters, mapped to U+0020.
  const nonAsciiSpace = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g
  // RFC 3454 Table B.1 — "commonly mapped to nothing". The set intentionally
  // contains zero-width joiners and variation selectors — the very characters
  // ESLint's no-misleading-character-class warns about — because they combine
  // with their neighbors and the RFC strips them for that reason.
  // eslint-disable-next-line no-misleading-character-class
  const mappedToNothing = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g
  return password.replace(nonAsciiSpace, ' ').replace(mappedToNothing, '').normalize('NFKC')
}

const DEFAULT_MAX_SCRAM_ITERATIONS = 100000

function startSession(mechanisms, stream, scramMaxIterations = DEFAULT_MAX_SCRAM_ITERATIONS) {
  const candidates = ['SCRAM-SHA-256']
  if (stream) candidates.unshift('SCRAM-SHA-256-PLUS') // higher-priority, so placed first

  const mechanism = candidates.find((candidate) => mechanisms.includes(candidate))

  if (!mechanism) {
    throw new Error('SASL: Only mechanism(s) ' + candidates.join(' and ') + ' are supported')
  }

  if (mechanism === 'SCRAM-SHA-256-PLUS' && typeof stream.getPeerCertificate !== 'function') {
    // this should never happen if we are really talking to a Postgres server
    throw new Error('SASL: Mechanism SCRAM-SHA-256-PLUS requires a certificate')
  }

  const clientNonce = crypto.randomBytes(18).toString('base64')
  const gs2Header = mechanism === 'SCRAM-SHA-256-PLUS' ? 'p=tls-server-end-point' : stream ? 'y' : 'n'

  return {
    mechanism,
    clientNonce,
    response: gs2Header + ',,n=*,r=' + clientNonce,
    message: 'SASLInitialResponse',
    scramMaxIterations,
  }
}

async function continueSession(session, password, serverData, stream) {
  if (session.message !== 'SASLInitialResponse') {
    throw new Error('SASL: Last message was not SASLInitialResponse')
  }
  if (typeof password !== 'string') {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')
  }
  if (password === '') {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string')
  }
  if (typeof serverData !== 'string') {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: serverData must be a string')
  }

  const sv = parseServerFirstMessage(serverData)

  if (!sv.nonce.startsWith(session.clientNonce)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce does not start with client nonce')
  } else if (sv.nonce.length === session.clientNonce.length) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce is too short')
  }

  const scramMaxIterations =
    typeof session.scramMaxIterations === 'number' ? session.scramMaxIterations : DEFAULT_MAX_SCRAM_ITERATIONS
  // a value of 0 disables the iteration count check
  if (scramMaxIterations !== 0 && sv.iteration > scramMaxIterations) {
    throw new Error(
      'SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration count ' +
        sv.iteration +
        ' exceeds scramMaxIterations of ' +
        scramMaxIterations
    )
  }

  const clientFirstMessageBare = 'n=*,r=' + session.clientNonce
  const serverFirstMessage = 'r=' + sv.nonce + ',s=' + sv.salt + ',i=' + sv.iteration

  // without channel binding:
  let channelBinding = stream ? 'eSws' : 'biws' // 'y,,' or 'n,,', base64-encoded

  // override if channel binding is in use:
  if (session.mechanism === 'SCRAM-SHA-256-PLUS') {
    const peerCert = stream.getPeerCertificate().raw
    let hashName = signatureAlgorithmHashFromCertificate(peerCert)
    if (hashName === 'MD5' || hashName === 'SHA-1') hashName = 'SHA-256'
    const certHash = await crypto.hashByName(hashName, peerCert)
    const bindingData = Buffer.concat([Buffer.from('p=tls-server-end-point,,'), Buffer.from(certHash)])
    channelBinding = bindingData.toString('base64')
  }

  const clientFinalMessageWithoutProof = 'c=' + channelBinding + ',r=' + sv.nonce
  const authMessage = clientFirstMessageBare + ',' + serverFirstMessage + ',' + clientFinalMessageWithoutProof

  const saltBytes = Buffer.from(sv.salt, 'base64')
  const saltedPassword = await crypto.deriveKey(saslprep(password), saltBytes, sv.iteration)
  const clientKey = await crypto.hmacSha256(saltedPassword, 'Client Key')
  const storedKey = await crypto.sha256(clientKey)
  const clientSignature = await crypto.hmacSha256(storedKey, authMessage)
  const clientProof = xorBuffers(Buffer.from(clientKey), Buffer.from(clientSignature)).toString('base64')
  const serverKey = await crypto.hmacSha256(saltedPassword, 'Server Key')
  const serverSignatureBytes = await crypto.hmacSha256(serverKey, authMessage)

  session.message = 'SASLResponse'
  session.serverSignature = Buffer.from(serverSignatureBytes).toString('base64')
  session.response = clientFinalMessageWithoutProof + ',p=' + clientProof
}

function finalizeSession(session, serverData) {
  if (session.message !== 'SASLResponse') {
    throw new Error('SASL: Last message was not SASLResponse')
  }
  if (typeof serverData !== 'string') {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: serverData must be a string')
  }

  const { serverSignature } = parseServerFinalMessage(serverData)

  if (serverSignature !== session.serverSignature) {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature does not match')
  }
}

/**
 * printable       = %x21-2B / %x2D-7E
 *                   ;; Printable ASCII except ",".
 *                   ;; Note that any "printable" is also
 *                   ;; a valid "value".
 */
function isPrintableChars(text) {
  if (typeof text !== 'string') {
    throw new TypeError('SASL: text must be a string')
  }
  return text
    .split('')
    .map((_, i) => text.charCodeAt(i))
    .every((c) => (c >= 0x21 && c <= 0x2b) || (c >= 0x2d && c <= 0x7e))
}

/**
 * base64-char     = ALPHA / DIGIT / "/" / "+"
 *
 * base64-4        = 4base64-char
 *
 * base64-3        = 3base64-char "="
 *
 * base64-2        = 2base64-char "=="
 *
 * base64          = *base64-4 [base64-3 / base64-2]
 */
function isBase64(text) {
  return /^(?:[a-zA-Z0-9+/]{4})*(?:[a-zA-Z0-9+/]{2}==|[a-zA-Z0-9+/]{3}=)?$/.test(text)
}

function parseAttributePairs(text) {
  if (typeof text !== 'string') {
    throw new TypeError('SASL: attribute pairs text must be a string')
  }

  return new Map(
    text.split(',').map((attrValue) => {
      if (!/^.=/.test(attrValue)) {
        throw new Error('SASL: Invalid attribute pair entry')
      }
      const name = attrValue[0]
      const value = attrValue.substring(2)
      return [name, value]
    })
  )
}

function parseServerFirstMessage(data) {
  const attrPairs = parseAttributePairs(data)

  const nonce = attrPairs.get('r')
  if (!nonce) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce missing')
  } else if (!isPrintableChars(nonce)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce must only contain printable characters')
  }
  const salt = attrPairs.get('s')
  if (!salt) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: salt missing')
  } else if (!isBase64(salt)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: salt must be base64')
  }
  const iterationText = attrPairs.get('i')
  if (!iterationText) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration missing')
  } else if (!/^[1-9][0-9]*$/.test(iterationText)) {
    throw new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: invalid iteration count')
  }
  const iteration = parseInt(iterationText, 10)

  return {
    nonce,
    salt,
    iteration,
  }
}

function parseServerFinalMessage(serverData) {
  const attrPairs = parseAttributePairs(serverData)
  const error = attrPairs.get('e')
  const serverSignature = attrPairs.get('v')

  if (error) {
    throw new Error(`SASL: SCRAM-SERVER-FINAL-MESSAGE: server returned error: "${error}"`)
  }

  if (!serverSignature) {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature is missing')
  } else if (!isBase64(serverSignature)) {
    throw new Error('SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature must be base64')
  }
  return {
    serverSignature,
  }
}

function xorBuffers(a, b) {
  if (!Buffer.isBuffer(a)) {
    throw new TypeError('first argument must be a Buffer')
  }
  if (!Buffer.isBuffer(b)) {
    throw new TypeError('second argument must be a Buffer')
  }
  if (a.length !== b.length) {
    throw new Error('Buffer lengths must match')
  }
  if (a.length === 0) {
    throw new Error('Buffers cannot be empty')
  }
  return Buffer.from(a.map((_, i) => a[i] ^ b[i]))
}

module.exports = {
  startSession,
  continueSession,
  finalizeSession,
  DEFAULT_MAX_SCRAM_ITERATIONS,
}


/***/ }),

/***/ 4150:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const nodeCrypto = __nccwpck_require__(6982)

module.exports = {
  postgresMd5PasswordHash,
  randomBytes,
  deriveKey,
  sha256,
  hashByName,
  hmacSha256,
  md5,
}

/**
 * The Web Crypto API - grabbed from the Node.js library or the global
 * @type Crypto
 */
// eslint-disable-next-line no-undef
const webCrypto = nodeCrypto.webcrypto || globalThis.crypto
/**
 * The SubtleCrypto API for low level crypto operations.
 * @type SubtleCrypto
 */
const subtleCrypto = webCrypto.subtle
const textEncoder = new TextEncoder()

/**
 *
 * @param {*} length
 * @returns
 */
function randomBytes(length) {
  return webCrypto.getRandomValues(Buffer.alloc(length))
}

async function md5(string) {
  try {
    return nodeCrypto.createHash('md5').update(string, 'utf-8').digest('hex')
  } catch (e) {
    // `createHash()` failed so we are probably not in Node.js, use the WebCrypto API instead.
    // Note that the MD5 algorithm on WebCrypto is not available in Node.js.
    // This is why we cannot just use WebCrypto in all environments.
    const data = typeof string === 'string' ? textEncoder.encode(string) : string
    const hash = await subtleCrypto.digest('MD5', data)
    return Array.from(new Uint8Array(hash))
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
  }
}

// See AuthenticationMD5Password at https://www.postgresql.org/docs/current/static/protocol-flow.html
async function postgresMd5PasswordHash(user, password, salt) {
  const inner = await md5(password + user)
  const outer = await md5(Buffer.concat([Buffer.from(inner), salt]))
  return 'md5' + outer
}

/**
 * Create a SHA-256 digest of the given data
 * @param {Buffer} data
 */
async function sha256(text) {
  return await subtleCrypto.digest('SHA-256', text)
}

async function hashByName(hashName, text) {
  return await subtleCrypto.digest(hashName, text)
}

/**
 * Sign the message with the given key
 * @param {ArrayBuffer} keyBuffer
 * @param {string} msg
 */
async function hmacSha256(keyBuffer, msg) {
  const key = await subtleCrypto.importKey('raw', keyBuffer, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return await subtleCrypto.sign('HMAC', key, textEncoder.encode(msg))
}

/**
 * Derive a key from the password and salt
 * @param {string} password
 * @param {Uint8Array} salt
 * @param {number} iterations
 */
async function deriveKey(password, salt, iterations) {
  const key = await subtleCrypto.importKey('raw', textEncoder.encode(password), 'PBKDF2', false, ['deriveBits'])
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations }
  return await subtleCrypto.deriveBits(params, key, 32 * 8, ['deriveBits'])
}


/***/ }),

/***/ 8995:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



let user
try {
  user = process.platform === 'win32' ? process.env.USERNAME : process.env.USER
} catch {
  // ignore, e.g., Deno without --allow-env
}

module.exports = {
  // database host. defaults to localhost
  host: 'localhost',

  // database user's name
  user,

  // name of database to connect
  database: undefined,

  // database user's password
  password: null,

  // a Postgres connection string to be used instead of setting individual connection items
  // NOTE:  Setting this value will cause it to override any other value (such as database or user) defined
  // in the defaults object.
  connectionString: undefined,

  // database port
  port: 5432,

  // number of rows to return at a time from a prepared statement's
  // portal. 0 will return all rows at once
  rows: 0,

  // binary result mode
  binary: false,

  // Connection pool options - see https://github.com/brianc/node-pg-pool

  // number of connections to use in connection pool
  // 0 will disable connection pooling
  max: 10,

  // max milliseconds a client can go unused before it is removed
  // from the pool and destroyed
  idleTimeoutMillis: 30000,

  client_encoding: '',

  ssl: false,

  // SSL negotiation style: 'postgres' (traditional SSLRequest) or 'direct'
  sslnegotiation: undefined,

  application_name: undefined,

  fallback_application_name: undefined,

  options: undefined,

  parseInputDatesAsUTC: false,

  // max milliseconds any query using this connection will execute for before timing out in error.
  // false=unlimited
  statement_timeout: false,

  // Abort any statement that waits longer than the specified duration in milliseconds while attempting to acquire a lock.
  // false=unlimited
  lock_timeout: false,

  // Terminate any session with an open transaction that has been idle for longer than the specified duration in milliseconds
  // false=unlimited
  idle_in_transaction_session_timeout: false,

  // max milliseconds to wait for query to complete (client side)
  query_timeout: false,

  connect_timeout: 0,

  keepalives: 1,

  keepalives_idle: 0,
}

const pgTypes = __nccwpck_require__(1549)
// save default parsers
const parseBigInteger = pgTypes.getTypeParser(20, 'text')
const parseBigIntegerArray = pgTypes.getTypeParser(1016, 'text')

// parse int8 so you can get your count values as actual numbers
module.exports.__defineSetter__('parseInt8', function (val) {
  pgTypes.setTypeParser(20, 'text', val ? pgTypes.getTypeParser(23, 'text') : parseBigInteger)
  pgTypes.setTypeParser(1016, 'text', val ? pgTypes.getTypeParser(1007, 'text') : parseBigIntegerArray)
})


/***/ }),

/***/ 3273:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const Client = __nccwpck_require__(5042)
const defaults = __nccwpck_require__(8995)
const Connection = __nccwpck_require__(9809)
const Result = __nccwpck_require__(6424)
const utils = __nccwpck_require__(9652)
const Pool = __nccwpck_require__(7558)
const TypeOverrides = __nccwpck_require__(365)
const { DatabaseError } = __nccwpck_require__(4233)
const { escapeIdentifier, escapeLiteral } = __nccwpck_require__(9652)

const poolFactory = (Client) => {
  return class BoundPool extends Pool {
    constructor(options) {
      super(options, Client)
    }
  }
}

const PG = function (clientConstructor) {
  this.defaults = defaults
  this.Client = clientConstructor
  this.Query = this.Client.Query
  this.Pool = poolFactory(this.Client)
  this._pools = []
  this.Connection = Connection
  this.types = __nccwpck_require__(1549)
  this.DatabaseError = DatabaseError
  this.TypeOverrides = TypeOverrides
  this.escapeIdentifier = escapeIdentifier
  this.escapeLiteral = escapeLiteral
  this.Result = Result
  this.utils = utils
}

let clientConstructor = Client

let forceNative = false
try {
  forceNative = !!process.env.NODE_PG_FORCE_NATIVE
} catch {
  // ignore, e.g., Deno without --allow-env
}

if (forceNative) {
  clientConstructor = __nccwpck_require__(5301)
}

module.exports = new PG(clientConstructor)

// lazy require native module...the native module may not have installed
Object.defineProperty(module.exports, "native", ({
  configurable: true,
  enumerable: false,
  get() {
    let native = null
    try {
      native = new PG(__nccwpck_require__(5301))
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') {
        throw err
      }
    }

    // overwrite module.exports.native so that getter is never called again
    Object.defineProperty(module.exports, "native", ({
      value: native,
    }))

    return native
  },
}))


/***/ }),

/***/ 8942:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const nodeUtils = __nccwpck_require__(9023)
// eslint-disable-next-line
var Native
// eslint-disable-next-line no-useless-catch
try {
  // Wrap this `require()` in a try-catch to avoid upstream bundlers from complaining that this might not be available since it is an optional import
  Native = __nccwpck_require__(4390)
} catch (e) {
  throw e
}
const TypeOverrides = __nccwpck_require__(365)
const EventEmitter = (__nccwpck_require__(4434).EventEmitter)
const util = __nccwpck_require__(9023)
const ConnectionParameters = __nccwpck_require__(646)

const NativeQuery = __nccwpck_require__(7581)

const queryQueueLengthDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0. Use async/await or an external async flow control mechanism instead.'
)

const Client = (module.exports = function (config) {
  EventEmitter.call(this)
  config = config || {}

  this._Promise = config.Promise || global.Promise
  this._types = new TypeOverrides(config.types)

  this.native = new Native({
    types: this._types,
  })

  this._queryQueue = []
  this._ending = false
  this._connecting = false
  this._connected = false
  this._queryable = true
  this.pipeline = Boolean(config.pipeline)
  this._pipelineInFlight = false

  // keep these on the object for legacy reasons
  // for the time being. TODO: deprecate all this jazz
  const cp = (this.connectionParameters = new ConnectionParameters(config))
  if (config.nativeConnectionString) cp.nativeConnectionString = config.nativeConnectionString
  this.user = cp.user

  // "hiding" the password so it doesn't show up in stack traces
  // or if the client is console.logged
  Object.defineProperty(this, 'password', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: cp.password,
  })
  this.database = cp.database
  this.host = cp.host
  this.port = cp.port

  // a hash to hold named queries
  this.namedQueries = {}
})

Client.Query = NativeQuery

util.inherits(Client, EventEmitter)

Client.prototype._errorAllQueries = function (err) {
  const enqueueError = (query) => {
    process.nextTick(() => {
      query.native = this.native
      query.handleError(err)
    })
  }

  if (this._hasActiveQuery()) {
    enqueueError(this._activeQuery)
    this._activeQuery = null
  }

  this._queryQueue.forEach(enqueueError)
  this._queryQueue.length = 0
}

// connect to the backend
// pass an optional callback to be called once connected
// or with an error if there was a connection error
Client.prototype._connect = function (cb) {
  const self = this

  if (this._connecting) {
    process.nextTick(() => cb(new Error('Client has already been connected. You cannot reuse a client.')))
    return
  }

  this._connecting = true

  this.connectionParameters.getLibpqConnectionString(function (err, conString) {
    if (self.connectionParameters.nativeConnectionString) conString = self.connectionParameters.nativeConnectionString
    if (err) return cb(err)
    self.native.connect(conString, function (err) {
      if (err) {
        self.native.end()
        return cb(err)
      }

      // set internal states to connected
      self._connected = true

      // handle connection errors from the native layer
      self.native.on('error', function (err) {
        self._queryable = false
        self._errorAllQueries(err)
        self.emit('error', err)
      })

      self.native.on('notification', function (msg) {
        self.emit('notification', {
          channel: msg.relname,
          payload: msg.extra,
        })
      })

      // signal we are connected now
      self.emit('connect')
      self._pulseQueryQueue(true)

      cb(null, this)
    })
  })
}

Client.prototype.connect = function (callback) {
  if (callback) {
    this._connect(callback)
    return
  }

  return new this._Promise((resolve, reject) => {
    this._connect((error) => {
      if (error) {
        reject(error)
      } else {
        resolve(this)
      }
    })
  })
}

// send a query to the server
// this method is highly overloaded to take
// 1) string query, optional array of parameters, optional function callback
// 2) object query with {
//    string query
//    optional array values,
//    optional function callback instead of as a separate parameter
//    optional string name to name & cache the query plan
//    optional string rowMode = 'array' for an array of results
//  }
Client.prototype.query = function (config, values, callback) {
  let query
  let result
  let readTimeout
  let readTimeoutTimer
  let queryCallback

  if (config === null || config === undefined) {
    throw new TypeError('Client was passed a null or undefined query')
  } else if (typeof config.submit === 'function') {
    readTimeout = config.query_timeout || this.connectionParameters.query_timeout
    result = query = config
    // accept query(new Query(...), (err, res) => { }) style
    if (typeof values === 'function') {
      config.callback = values
    }
  } else {
    readTimeout = config.query_timeout || this.connectionParameters.query_timeout
    query = new NativeQuery(config, values, callback)
    if (!query.callback) {
      let resolveOut, rejectOut
      result = new this._Promise((resolve, reject) => {
        resolveOut = resolve
        rejectOut = reject
      }).catch((err) => {
        Error.captureStackTrace(err)
        throw err
      })
      query.callback = (err, res) => (err ? rejectOut(err) : resolveOut(res))
    }
  }

  if (readTimeout) {
    queryCallback = query.callback || (() => {})

    readTimeoutTimer = setTimeout(() => {
      const error = new Error('Query read timeout')

      process.nextTick(() => {
        query.handleError(error, this.connection)
      })

      queryCallback(error)

      // we already returned an error,
      // just do nothing if query completes
      query.callback = () => {}

      // Remove from queue
      const index = this._queryQueue.indexOf(query)
      if (index > -1) {
        this._queryQueue.splice(index, 1)
      }

      this._pulseQueryQueue()
    }, readTimeout)

    query.callback = (err, res) => {
      clearTimeout(readTimeoutTimer)
      queryCallback(err, res)
    }
  }

  if (!this._queryable) {
    query.native = this.native
    process.nextTick(() => {
      query.handleError(new Error('Client has encountered a connection error and is not queryable'))
    })
    return result
  }

  if (this._ending) {
    query.native = this.native
    process.nextTick(() => {
      query.handleError(new Error('Client was closed and is not queryable'))
    })
    return result
  }

  if (this._queryQueue.length > 0 && !this.pipeline) {
    queryQueueLengthDeprecationNotice()
  }

  this._queryQueue.push(query)
  this._pulseQueryQueue()
  return result
}

// disconnect from the backend server
Client.prototype.end = function (cb) {
  const self = this

  this._ending = true

  if (this._connecting && !this._connected) {
    this.once('connect', () => {
      this.end(() => {})
    })
  }
  let result
  if (!cb) {
    result = new this._Promise(function (resolve, reject) {
      cb = (err) => (err ? reject(err) : resolve())
    })
  }

  const doEnd = function () {
    self.native.end(function () {
      self._connected = false

      self._errorAllQueries(new Error('Connection terminated'))

      process.nextTick(() => {
        self.emit('end')
        if (cb) cb()
      })
    })
  }

  // If pipeline has in-flight or queued queries, wait for them to drain before closing
  if (this.pipeline && (this._pipelineInFlight || this._queryQueue.length > 0)) {
    this.once('drain', doEnd)
  } else {
    doEnd()
  }
  return result
}

Client.prototype._hasActiveQuery = function () {
  return this._activeQuery && this._activeQuery.state !== 'error' && this._activeQuery.state !== 'end'
}

Client.prototype._pulseQueryQueue = function (initialConnection) {
  if (!this._connected) {
    return
  }
  if (this.pipeline && !initialConnection) {
    return this._pulsePipelinedQueryQueue()
  }
  if (this._hasActiveQuery()) {
    return
  }
  const query = this._queryQueue.shift()
  if (!query) {
    if (!initialConnection) {
      this.emit('drain')
    }
    return
  }
  this._activeQuery = query
  query.submit(this)
  const self = this
  query.once('_done', function () {
    self._pulseQueryQueue()
  })
}

Client.prototype._pulsePipelinedQueryQueue = function () {
  if (!this._connected || this._pipelineInFlight) {
    return
  }
  if (this._queryQueue.length === 0) {
    if (this.hasExecuted) {
      this.emit('drain')
    }
    return
  }

  this._pipelineInFlight = true
  const self = this
  const queries = []
  const nativeQueries = []
  const utils = __nccwpck_require__(9652)

  while (this._queryQueue.length > 0) {
    const query = this._queryQueue.shift()
    this.hasExecuted = true
    nativeQueries.push(query)

    const values = query.values ? query.values.map(utils.prepareValue) : null
    const pipelineEntry = { text: query.text, name: query.name, arrayMode: query._arrayMode }
    if (values) {
      pipelineEntry.values = values
    }
    if (query.name && this.namedQueries[query.name]) {
      pipelineEntry._alreadyPrepared = true
    }
    queries.push(pipelineEntry)
  }

  this.native.pipeline(queries, function (err, results) {
    self._pipelineInFlight = false

    if (err) {
      // Total pipeline failure. Per-query errors arrive on results[i].err, so reaching here means
      // the connection itself is gone: mark it unusable and say so, the way the JS client and the
      // non-pipelined native path both do. Without this the client looks healthy after losing its
      // backend, a Pool never discards it, and everything routed to it fails one query at a time
      // for the life of the process.
      self._connected = false
      self._queryable = false
      for (let i = 0; i < nativeQueries.length; i++) {
        const q = nativeQueries[i]
        q.native = self.native
        q.handleError(err)
      }
      self._errorAllQueries(err)
      self.emit('error', err)
      self.emit('end')
      return
    }

    // Deliver results to each query
    for (let i = 0; i < nativeQueries.length; i++) {
      const q = nativeQueries[i]
      const r = results[i]
      q.native = self.native

      if (r.err) {
        q.handleError(r.err)
      } else {
        // Track named queries on success
        if (q.name) {
          self.namedQueries[q.name] = q.text
        }
        q.state = 'end'
        q.emit('end', r.result)
        if (q.callback) {
          q.callback(null, r.result)
        }
      }

      setImmediate(function () {
        q.emit('_done')
      })
    }

    // Process any queries that arrived while we were reading
    self._pulsePipelinedQueryQueue()
  })
}

// attempt to cancel an in-progress query
Client.prototype.cancel = function (query) {
  if (this._activeQuery === query) {
    this.native.cancel(function () {})
  } else if (this._queryQueue.indexOf(query) !== -1) {
    this._queryQueue.splice(this._queryQueue.indexOf(query), 1)
  }
}

Client.prototype.ref = function () {}
Client.prototype.unref = function () {}

Client.prototype.setTypeParser = function (oid, format, parseFn) {
  return this._types.setTypeParser(oid, format, parseFn)
}

Client.prototype.getTypeParser = function (oid, format) {
  return this._types.getTypeParser(oid, format)
}

Client.prototype.isConnected = function () {
  return this._connected
}

Client.prototype.getTransactionStatus = function () {
  return this.native.getTransactionStatus()
}


/***/ }),

/***/ 5301:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


module.exports = __nccwpck_require__(8942)


/***/ }),

/***/ 7581:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const EventEmitter = (__nccwpck_require__(4434).EventEmitter)
const util = __nccwpck_require__(9023)
const utils = __nccwpck_require__(9652)

const NativeQuery = (module.exports = function (config, values, callback) {
  EventEmitter.call(this)
  config = utils.normalizeQueryConfig(config, values, callback)
  this.text = config.text
  this.values = config.values
  this.name = config.name
  this.queryMode = config.queryMode
  this.callback = config.callback
  this.state = 'new'
  this._arrayMode = config.rowMode === 'array'

  // if the 'row' event is listened for
  // then emit them as they come in
  // without setting singleRowMode to true
  // this has almost no meaning because libpq
  // reads all rows into memory before returning any
  this._emitRowEvents = false
  this.on(
    'newListener',
    function (event) {
      if (event === 'row') this._emitRowEvents = true
    }.bind(this)
  )
})

util.inherits(NativeQuery, EventEmitter)

const errorFieldMap = {
  sqlState: 'code',
  statementPosition: 'position',
  messagePrimary: 'message',
  messageDetail: 'detail',
  messageHint: 'hint',
  context: 'where',
  schemaName: 'schema',
  tableName: 'table',
  columnName: 'column',
  dataTypeName: 'dataType',
  constraintName: 'constraint',
  sourceFile: 'file',
  sourceLine: 'line',
  sourceFunction: 'routine',
}

NativeQuery.prototype.handleError = function (err) {
  // copy pq error fields into the error object
  const fields = this.native && this.native.pq.resultErrorFields()
  if (fields) {
    for (const key in fields) {
      const normalizedFieldName = errorFieldMap[key] || key
      err[normalizedFieldName] = fields[key]
    }
  }
  if (this.callback) {
    this.callback(err)
  } else {
    this.emit('error', err)
  }
  this.state = 'error'
}

NativeQuery.prototype.then = function (onSuccess, onFailure) {
  return this._getPromise().then(onSuccess, onFailure)
}

NativeQuery.prototype.catch = function (callback) {
  return this._getPromise().catch(callback)
}

NativeQuery.prototype._getPromise = function () {
  if (this._promise) return this._promise
  this._promise = new Promise(
    function (resolve, reject) {
      this._once('end', resolve)
      this._once('error', reject)
    }.bind(this)
  )
  return this._promise
}

NativeQuery.prototype.submit = function (client) {
  this.state = 'running'
  const self = this
  this.native = client.native
  client.native.arrayMode = this._arrayMode

  let after = function (err, rows, results) {
    client.native.arrayMode = false
    setImmediate(function () {
      self.emit('_done')
    })

    // handle possible query error
    if (err) {
      return self.handleError(err)
    }

    // emit row events for each row in the result
    if (self._emitRowEvents) {
      if (results.length > 1) {
        rows.forEach((rowOfRows, i) => {
          rowOfRows.forEach((row) => {
            self.emit('row', row, results[i])
          })
        })
      } else {
        rows.forEach(function (row) {
          self.emit('row', row, results)
        })
      }
    }

    // handle successful result
    self.state = 'end'
    self.emit('end', results)
    if (self.callback) {
      self.callback(null, results)
    }
  }

  if (process.domain) {
    after = process.domain.bind(after)
  }

  // named query
  if (this.name) {
    if (this.name.length > 63) {
      console.error('Warning! Postgres only supports 63 characters for query names.')
      console.error('You supplied %s (%s)', this.name, this.name.length)
      console.error('This can cause conflicts and silent errors executing queries')
    }
    const values = (this.values || []).map(utils.prepareValue)

    // check if the client has already executed this named query
    // if so...just execute it again - skip the planning phase
    if (client.namedQueries[this.name] !== undefined) {
      if (this.text && client.namedQueries[this.name] !== this.text) {
        const err = new Error(`Prepared statements must be unique - '${this.name}' was used for a different statement`)
        return after(err)
      }
      return client.native.execute(this.name, values, after)
    }
    // plan the named query the first time, then execute it
    return client.native.prepare(this.name, this.text, values.length, function (err) {
      if (err) return after(err)
      client.namedQueries[self.name] = self.text
      return self.native.execute(self.name, values, after)
    })
  } else if (this.values) {
    if (!Array.isArray(this.values)) {
      const err = new Error('Query values must be an array')
      return after(err)
    }
    const vals = this.values.map(utils.prepareValue)
    client.native.query(this.text, vals, after)
  } else if (this.queryMode === 'extended') {
    client.native.query(this.text, [], after)
  } else {
    client.native.query(this.text, after)
  }
}


/***/ }),

/***/ 4473:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const { EventEmitter } = __nccwpck_require__(4434)

const Result = __nccwpck_require__(6424)
const utils = __nccwpck_require__(9652)

class Query extends EventEmitter {
  constructor(config, values, callback) {
    super()

    config = utils.normalizeQueryConfig(config, values, callback)

    this.text = config.text
    this.values = config.values
    this.rows = config.rows
    this.types = config.types
    this.name = config.name
    this.queryMode = config.queryMode
    this.binary = config.binary
    // use unique portal name each time
    this.portal = config.portal || ''
    this.callback = config.callback
    this._rowMode = config.rowMode
    if (process.domain && config.callback) {
      this.callback = process.domain.bind(config.callback)
    }
    this._result = new Result(this._rowMode, this.types)

    // potential for multiple results
    this._results = this._result
    this._canceledDueToError = false
  }

  requiresPreparation() {
    if (this.queryMode === 'extended') {
      return true
    }

    // named queries must always be prepared
    if (this.name) {
      return true
    }
    // always prepare if there are max number of rows expected per
    // portal execution
    if (this.rows) {
      return true
    }
    // don't prepare empty text queries
    if (!this.text) {
      return false
    }
    // prepare if there are values
    if (!this.values) {
      return false
    }
    return this.values.length > 0
  }

  _checkForMultirow() {
    // if we already have a result with a command property
    // then we've already executed one query in a multi-statement simple query
    // turn our results into an array of results
    if (this._result.command) {
      if (!Array.isArray(this._results)) {
        this._results = [this._result]
      }
      this._result = new Result(this._rowMode, this._result._types)
      this._results.push(this._result)
    }
  }

  // associates row metadata from the supplied
  // message with this query object
  // metadata used when parsing row results
  handleRowDescription(msg) {
    this._checkForMultirow()
    this._result.addFields(msg.fields)
    this._accumulateRows = this.callback || !this.listeners('row').length
  }

  handleDataRow(msg) {
    let row

    if (this._canceledDueToError) {
      return
    }

    try {
      row = this._result.parseRow(msg.fields)
    } catch (err) {
      this._canceledDueToError = err
      return
    }

    this.emit('row', row, this._result)
    if (this._accumulateRows) {
      this._result.addRow(row)
    }
  }

  handleCommandComplete(msg, connection) {
    this._checkForMultirow()
    this._result.addCommandComplete(msg)
    // need to sync after each command complete of a prepared statement
    // if we were using a row count which results in multiple calls to _getRows
    if (this.rows) {
      connection.sync()
    }
  }

  // if a named prepared statement is created with empty query text
  // the backend will send an emptyQuery message but *not* a command complete message
  // since we pipeline sync immediately after execute we don't need to do anything here
  // unless we have rows specified, in which case we did not pipeline the initial sync call
  handleEmptyQuery(connection) {
    if (this.rows) {
      connection.sync()
    }
  }

  handleError(err, connection) {
    // need to sync after error during a prepared statement
    if (this._canceledDueToError) {
      err = this._canceledDueToError
      this._canceledDueToError = false
    }
    // if callback supplied do not emit error event as uncaught error
    // events will bubble up to node process
    if (this.callback) {
      return this.callback(err)
    }
    this.emit('error', err)
  }

  handleReadyForQuery(con) {
    if (this._canceledDueToError) {
      return this.handleError(this._canceledDueToError, con)
    }
    if (this.callback) {
      try {
        this.callback(null, this._results)
      } catch (err) {
        process.nextTick(() => {
          throw err
        })
      }
    }
    this.emit('end', this._results)
  }

  submit(connection) {
    if (typeof this.text !== 'string' && typeof this.name !== 'string') {
      return new Error('A query must have either text or a name. Supplying neither is unsupported.')
    }
    const previous = connection.parsedStatements[this.name] || connection.submittedNamedStatements[this.name]
    if (this.text && previous && this.text !== previous) {
      return new Error(`Prepared statements must be unique - '${this.name}' was used for a different statement`)
    }
    if (this.values && !Array.isArray(this.values)) {
      return new Error('Query values must be an array')
    }
    if (this.requiresPreparation()) {
      // If we're using the extended query protocol we fire off several separate commands
      // to the backend. On some versions of node & some operating system versions
      // the network stack writes each message separately instead of buffering them together
      // causing the client & network to send more slowly. Corking & uncorking the stream
      // allows node to buffer up the messages internally before sending them all off at once.
      // note: we're checking for existence of cork/uncork because some versions of streams
      // might not have this (cloudflare?)
      connection.stream.cork && connection.stream.cork()
      try {
        this.prepare(connection)
      } finally {
        // while unlikely for this.prepare to throw, if it does & we don't uncork this stream
        // this client becomes unresponsive, so put in finally block "just in case"
        connection.stream.uncork && connection.stream.uncork()
      }
    } else {
      connection.query(this.text)
    }
    return null
  }

  hasBeenParsed(connection) {
    return (
      this.name &&
      (connection.parsedStatements[this.name] !== undefined ||
        connection.submittedNamedStatements[this.name] !== undefined)
    )
  }

  handlePortalSuspended(connection) {
    this._getRows(connection, this.rows)
  }

  _getRows(connection, rows) {
    connection.execute({
      portal: this.portal,
      rows: rows,
    })
    // if we're not reading pages of rows send the sync command
    // to indicate the pipeline is finished
    if (!rows) {
      connection.sync()
    } else {
      // otherwise flush the call out to read more rows
      connection.flush()
    }
  }

  // http://developer.postgresql.org/pgdocs/postgres/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
  prepare(connection) {
    // TODO refactor this poor encapsulation
    if (!this.hasBeenParsed(connection)) {
      connection.parse({
        text: this.text,
        name: this.name,
        types: this.types,
      })
      if (this.name) {
        connection.submittedNamedStatements[this.name] = this.text
      }
    }

    // because we're mapping user supplied values to
    // postgres wire protocol compatible values it could
    // throw an exception, so try/catch this section
    try {
      connection.bind({
        portal: this.portal,
        statement: this.name,
        values: this.values,
        binary: this.binary,
        valueMapper: utils.prepareValue,
      })
    } catch (err) {
      // we should close parse to avoid leaking connections
      connection.close({ type: 'S', name: this.name })
      connection.sync()

      this.handleError(err, connection)
      return
    }

    connection.describe({
      type: 'P',
      name: this.portal || '',
    })

    this._getRows(connection, this.rows)
  }

  handleCopyInResponse(connection) {
    connection.sendCopyFail('No source stream defined')
  }

  handleCopyData(msg, connection) {
    // noop
  }
}

module.exports = Query


/***/ }),

/***/ 6424:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const types = __nccwpck_require__(1549)

const matchRegexp = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/

// result object returned from query
// in the 'end' event and also
// passed as second argument to provided callback
class Result {
  constructor(rowMode, types) {
    this.command = null
    this.rowCount = null
    this.oid = null
    this.rows = []
    this.fields = []
    this._parsers = undefined
    this._types = types
    this.RowCtor = null
    this.rowAsArray = rowMode === 'array'
    if (this.rowAsArray) {
      this.parseRow = this._parseRowAsArray
    }
    this._prebuiltEmptyResultObject = null
  }

  // adds a command complete message
  addCommandComplete(msg) {
    let match
    if (msg.text) {
      // pure javascript
      match = matchRegexp.exec(msg.text)
    } else {
      // native bindings
      match = matchRegexp.exec(msg.command)
    }
    if (match) {
      this.command = match[1]
      if (match[3]) {
        // COMMAND OID ROWS
        this.oid = parseInt(match[2], 10)
        this.rowCount = parseInt(match[3], 10)
      } else if (match[2]) {
        // COMMAND ROWS
        this.rowCount = parseInt(match[2], 10)
      }
    }
  }

  _parseRowAsArray(rowData) {
    const row = new Array(rowData.length)
    for (let i = 0, len = rowData.length; i < len; i++) {
      const rawValue = rowData[i]
      if (rawValue !== null) {
        row[i] = this._parsers[i](rawValue)
      } else {
        row[i] = null
      }
    }
    return row
  }

  parseRow(rowData) {
    const row = { ...this._prebuiltEmptyResultObject }
    for (let i = 0, len = rowData.length; i < len; i++) {
      const rawValue = rowData[i]
      const field = this.fields[i].name
      if (rawValue !== null) {
        const v = this.fields[i].format === 'binary' ? Buffer.from(rawValue) : rawValue
        row[field] = this._parsers[i](v)
      } else {
        row[field] = null
      }
    }
    return row
  }

  addRow(row) {
    this.rows.push(row)
  }

  addFields(fieldDescriptions) {
    // clears field definitions
    // multiple query statements in 1 action can result in multiple sets
    // of rowDescriptions...eg: 'select NOW(); select 1::int;'
    // you need to reset the fields
    this.fields = fieldDescriptions
    if (this.fields.length) {
      this._parsers = new Array(fieldDescriptions.length)
    }

    const row = Object.create(null)

    for (let i = 0; i < fieldDescriptions.length; i++) {
      const desc = fieldDescriptions[i]
      row[desc.name] = null

      if (this._types) {
        this._parsers[i] = this._types.getTypeParser(desc.dataTypeID, desc.format || 'text')
      } else {
        this._parsers[i] = types.getTypeParser(desc.dataTypeID, desc.format || 'text')
      }
    }

    this._prebuiltEmptyResultObject = { ...row }
  }
}

module.exports = Result


/***/ }),

/***/ 829:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const { getStream, getSecureStream } = getStreamFuncs()

module.exports = {
  /**
   * Get a socket stream compatible with the current runtime environment.
   * @returns {Duplex}
   */
  getStream,
  /**
   * Get a TLS secured socket, compatible with the current environment,
   * using the socket and other settings given in `options`.
   * @returns {Duplex}
   */
  getSecureStream,
}

/**
 * The stream functions that work in Node.js
 */
function getNodejsStreamFuncs() {
  function getStream(ssl) {
    const net = __nccwpck_require__(9278)
    return new net.Socket()
  }

  function getSecureStream(options) {
    const tls = __nccwpck_require__(4756)
    return tls.connect(options)
  }
  return {
    getStream,
    getSecureStream,
  }
}

/**
 * The stream functions that work in Cloudflare Workers
 */
function getCloudflareStreamFuncs() {
  function getStream(ssl) {
    const { CloudflareSocket } = __nccwpck_require__(785)
    return new CloudflareSocket(ssl)
  }

  function getSecureStream(options) {
    options.socket.startTls(options)
    return options.socket
  }
  return {
    getStream,
    getSecureStream,
  }
}

/**
 * Are we running in a Cloudflare Worker?
 *
 * @returns true if the code is currently running inside a Cloudflare Worker.
 */
function isCloudflareRuntime() {
  // Since 2022-03-21 the `global_navigator` compatibility flag is on for Cloudflare Workers
  // which means that `navigator.userAgent` will be defined.
  // eslint-disable-next-line no-undef
  if (typeof navigator === 'object' && navigator !== null && typeof navigator.userAgent === 'string') {
    // eslint-disable-next-line no-undef
    return navigator.userAgent === 'Cloudflare-Workers'
  }
  // In case `navigator` or `navigator.userAgent` is not defined then try a more sneaky approach
  if (typeof Response === 'function') {
    const resp = new Response(null, { cf: { thing: true } })
    if (typeof resp.cf === 'object' && resp.cf !== null && resp.cf.thing) {
      return true
    }
  }
  return false
}

function getStreamFuncs() {
  if (isCloudflareRuntime()) {
    return getCloudflareStreamFuncs()
  }
  return getNodejsStreamFuncs()
}


/***/ }),

/***/ 365:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const types = __nccwpck_require__(1549)

function TypeOverrides(userTypes) {
  this._types = userTypes || types
  this.text = {}
  this.binary = {}
}

TypeOverrides.prototype.getOverrides = function (format) {
  switch (format) {
    case 'text':
      return this.text
    case 'binary':
      return this.binary
    default:
      return {}
  }
}

TypeOverrides.prototype.setTypeParser = function (oid, format, parseFn) {
  if (typeof format === 'function') {
    parseFn = format
    format = 'text'
  }
  this.getOverrides(format)[oid] = parseFn
}

TypeOverrides.prototype.getTypeParser = function (oid, format) {
  format = format || 'text'
  return this.getOverrides(format)[oid] || this._types.getTypeParser(oid, format)
}

module.exports = TypeOverrides


/***/ }),

/***/ 9652:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const defaults = __nccwpck_require__(8995)
const nodeUtils = __nccwpck_require__(9023)

const { isDate } = __nccwpck_require__(8253)

const invalidDateDeprecationNotice = nodeUtils.deprecate(
  () => {},
  'Sending an invalid date to Postgres is deprecated and will throw an error in the next major version of pg. Ensure any Date object passed as a query parameter is valid.',
  'PG_INVALID_DATE'
)

function escapeElement(elementRepresentation) {
  const escaped = elementRepresentation.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

  return '"' + escaped + '"'
}

// convert a JS array to a postgres array literal
// uses comma separator so won't work for types like box that use
// a different array separator.
function arrayString(val) {
  let result = '{'
  for (let i = 0; i < val.length; i++) {
    if (i > 0) {
      result += ','
    }
    let item = val[i]
    if (item == null) {
      result += 'NULL'
    } else if (Array.isArray(item)) {
      result += arrayString(item)
    } else if (ArrayBuffer.isView(item)) {
      if (!(item instanceof Buffer)) {
        item = Buffer.from(item.buffer, item.byteOffset, item.byteLength)
      }
      result += '\\\\x' + item.toString('hex')
    } else {
      result += escapeElement(prepareValue(item))
    }
  }
  result += '}'
  return result
}

// converts values from javascript types
// to their 'raw' counterparts for use as a postgres parameter
// note: you can override this function to provide your own conversion mechanism
// for complex types, etc...
const prepareValue = function (val, seen) {
  // null and undefined are both null for postgres
  if (val == null) {
    return null
  }
  if (typeof val === 'object') {
    if (val instanceof Buffer) {
      return val
    }
    if (ArrayBuffer.isView(val)) {
      return Buffer.from(val.buffer, val.byteOffset, val.byteLength)
    }
    if (isDate(val)) {
      if (isNaN(val.getTime())) {
        invalidDateDeprecationNotice()
      }
      if (defaults.parseInputDatesAsUTC) {
        return dateToStringUTC(val)
      } else {
        return dateToString(val)
      }
    }
    if (Array.isArray(val)) {
      return arrayString(val)
    }

    return prepareObject(val, seen)
  }
  return val.toString()
}

function prepareObject(val, seen) {
  if (val && typeof val.toPostgres === 'function') {
    seen = seen || []
    if (seen.indexOf(val) !== -1) {
      throw new Error('circular reference detected while preparing "' + val + '" for query')
    }
    seen.push(val)

    return prepareValue(val.toPostgres(prepareValue), seen)
  }
  return JSON.stringify(val)
}

function dateToString(date) {
  let offset = -date.getTimezoneOffset()

  let year = date.getFullYear()
  const isBCYear = year < 1
  if (isBCYear) year = Math.abs(year) + 1 // negative years are 1 off their BC representation

  let ret =
    String(year).padStart(4, '0') +
    '-' +
    String(date.getMonth() + 1).padStart(2, '0') +
    '-' +
    String(date.getDate()).padStart(2, '0') +
    'T' +
    String(date.getHours()).padStart(2, '0') +
    ':' +
    String(date.getMinutes()).padStart(2, '0') +
    ':' +
    String(date.getSeconds()).padStart(2, '0') +
    '.' +
    String(date.getMilliseconds()).padStart(3, '0')

  if (offset < 0) {
    ret += '-'
    offset *= -1
  } else {
    ret += '+'
  }

  ret += String(Math.floor(offset / 60)).padStart(2, '0') + ':' + String(offset % 60).padStart(2, '0')
  if (isBCYear) ret += ' BC'
  return ret
}

function dateToStringUTC(date) {
  let year = date.getUTCFullYear()
  const isBCYear = year < 1
  if (isBCYear) year = Math.abs(year) + 1 // negative years are 1 off their BC representation

  let ret =
    String(year).padStart(4, '0') +
    '-' +
    String(date.getUTCMonth() + 1).padStart(2, '0') +
    '-' +
    String(date.getUTCDate()).padStart(2, '0') +
    'T' +
    String(date.getUTCHours()).padStart(2, '0') +
    ':' +
    String(date.getUTCMinutes()).padStart(2, '0') +
    ':' +
    String(date.getUTCSeconds()).padStart(2, '0') +
    '.' +
    String(date.getUTCMilliseconds()).padStart(3, '0')

  ret += '+00:00'
  if (isBCYear) ret += ' BC'
  return ret
}

function normalizeQueryConfig(config, values, callback) {
  // can take in strings or config objects
  // Copy config so normalization does not mutate the caller's object.
  config = typeof config === 'string' ? { text: config } : cloneQueryConfig(config)
  if (values) {
    if (typeof values === 'function') {
      config.callback = values
    } else {
      config.values = values
    }
  }
  if (callback) {
    config.callback = callback
  }
  return config
}

function cloneQueryConfig(config) {
  if (config == null) {
    return config
  }
  return Object.defineProperties(Object.create(Object.getPrototypeOf(config)), Object.getOwnPropertyDescriptors(config))
}

// Ported from PostgreSQL 9.2.4 source code in src/interfaces/libpq/fe-exec.c
const escapeIdentifier = function (str) {
  return '"' + str.replace(/"/g, '""') + '"'
}

const escapeLiteral = function (str) {
  let hasBackslash = false
  let escaped = "'"

  if (str == null) {
    return "''"
  }

  if (typeof str !== 'string') {
    return "''"
  }

  for (let i = 0; i < str.length; i++) {
    const c = str[i]
    if (c === "'") {
      escaped += c + c
    } else if (c === '\\') {
      escaped += c + c
      hasBackslash = true
    } else {
      escaped += c
    }
  }

  escaped += "'"

  if (hasBackslash === true) {
    escaped = ' E' + escaped
  }

  return escaped
}

module.exports = {
  prepareValue: function prepareValueWrapper(value) {
    // this ensures that extra arguments do not get passed into prepareValue
    // by accident, eg: from calling values.map(utils.prepareValue)
    return prepareValue(value)
  },
  normalizeQueryConfig,
  escapeIdentifier,
  escapeLiteral,
}


/***/ }),

/***/ 8702:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



var path = __nccwpck_require__(6928)
  , Stream = (__nccwpck_require__(2203).Stream)
  , split = __nccwpck_require__(5286)
  , util = __nccwpck_require__(9023)
  , defaultPort = 5432
  , isWin = (process.platform === 'win32')
  , warnStream = process.stderr
;


var S_IRWXG = 56     //    00070(8)
  , S_IRWXO = 7      //    00007(8)
  , S_IFMT  = 61440  // 00170000(8)
  , S_IFREG = 32768  //  0100000(8)
;
function isRegFile(mode) {
    return ((mode & S_IFMT) == S_IFREG);
}

var fieldNames = [ 'host', 'port', 'database', 'user', 'password' ];
var nrOfFields = fieldNames.length;
var passKey = fieldNames[ nrOfFields -1 ];


function warn() {
    var isWritable = (
        warnStream instanceof Stream &&
          true === warnStream.writable
    );

    if (isWritable) {
        var args = Array.prototype.slice.call(arguments).concat("\n");
        warnStream.write( util.format.apply(util, args) );
    }
}


Object.defineProperty(module.exports, "isWin", ({
    get : function() {
        return isWin;
    } ,
    set : function(val) {
        isWin = val;
    }
}));


module.exports.warnTo = function(stream) {
    var old = warnStream;
    warnStream = stream;
    return old;
};

module.exports.getFileName = function(rawEnv){
    var env = rawEnv || process.env;
    var file = env.PGPASSFILE || (
        isWin ?
          path.join( env.APPDATA || './' , 'postgresql', 'pgpass.conf' ) :
          path.join( env.HOME || './', '.pgpass' )
    );
    return file;
};

module.exports.usePgPass = function(stats, fname) {
    if (Object.prototype.hasOwnProperty.call(process.env, 'PGPASSWORD')) {
        return false;
    }

    if (isWin) {
        return true;
    }

    fname = fname || '<unkn>';

    if (! isRegFile(stats.mode)) {
        warn('WARNING: password file "%s" is not a plain file', fname);
        return false;
    }

    if (stats.mode & (S_IRWXG | S_IRWXO)) {
        /* If password file is insecure, alert the user and ignore it. */
        warn('WARNING: password file "%s" has group or world access; permissions should be u=rw (0600) or less', fname);
        return false;
    }

    return true;
};


var matcher = module.exports.match = function(connInfo, entry) {
    return fieldNames.slice(0, -1).reduce(function(prev, field, idx){
        if (idx == 1) {
            // the port
            if ( Number( connInfo[field] || defaultPort ) === Number( entry[field] ) ) {
                return prev && true;
            }
        }
        return prev && (
            entry[field] === '*' ||
              entry[field] === connInfo[field]
        );
    }, true);
};


module.exports.getPassword = function(connInfo, stream, cb) {
    var pass;
    var lineStream = stream.pipe(split());

    function onLine(line) {
        var entry = parseLine(line);
        if (entry && isValidEntry(entry) && matcher(connInfo, entry)) {
            pass = entry[passKey];
            lineStream.end(); // -> calls onEnd(), but pass is set now
        }
    }

    var onEnd = function() {
        stream.destroy();
        cb(pass);
    };

    var onErr = function(err) {
        stream.destroy();
        warn('WARNING: error on reading file: %s', err);
        cb(undefined);
    };

    stream.on('error', onErr);
    lineStream
        .on('data', onLine)
        .on('end', onEnd)
        .on('error', onErr)
    ;

};


var parseLine = module.exports.parseLine = function(line) {
    if (line.length < 11 || line.match(/^\s+#/)) {
        return null;
    }

    var curChar = '';
    var prevChar = '';
    var fieldIdx = 0;
    var startIdx = 0;
    var endIdx = 0;
    var obj = {};
    var isLastField = false;
    var addToObj = function(idx, i0, i1) {
        var field = line.substring(i0, i1);

        if (! Object.hasOwnProperty.call(process.env, 'PGPASS_NO_DEESCAPE')) {
            field = field.replace(/\\([:\\])/g, '$1');
        }

        obj[ fieldNames[idx] ] = field;
    };

    for (var i = 0 ; i < line.length-1 ; i += 1) {
        curChar = line.charAt(i+1);
        prevChar = line.charAt(i);

        isLastField = (fieldIdx == nrOfFields-1);

        if (isLastField) {
            addToObj(fieldIdx, startIdx);
            break;
        }

        if (i >= 0 && curChar == ':' && prevChar !== '\\') {
            addToObj(fieldIdx, startIdx, i+1);

            startIdx = i+2;
            fieldIdx += 1;
        }
    }

    obj = ( Object.keys(obj).length === nrOfFields ) ? obj : null;

    return obj;
};


var isValidEntry = module.exports.isValidEntry = function(entry){
    var rules = {
        // host
        0 : function(x){
            return x.length > 0;
        } ,
        // port
        1 : function(x){
            if (x === '*') {
                return true;
            }
            x = Number(x);
            return (
                isFinite(x) &&
                  x > 0 &&
                  x < 9007199254740992 &&
                  Math.floor(x) === x
            );
        } ,
        // database
        2 : function(x){
            return x.length > 0;
        } ,
        // username
        3 : function(x){
            return x.length > 0;
        } ,
        // password
        4 : function(x){
            return x.length > 0;
        }
    };

    for (var idx = 0 ; idx < fieldNames.length ; idx += 1) {
        var rule = rules[idx];
        var value = entry[ fieldNames[idx] ] || '';

        var res = rule(value);
        if (!res) {
            return false;
        }
    }

    return true;
};



/***/ }),

/***/ 3272:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



var path = __nccwpck_require__(6928)
  , fs = __nccwpck_require__(9896)
  , helper = __nccwpck_require__(8702)
;


module.exports = function(connInfo, cb) {
    var file = helper.getFileName();
    
    fs.stat(file, function(err, stat){
        if (err || !helper.usePgPass(stat, file)) {
            return cb(undefined);
        }

        var st = fs.createReadStream(file);

        helper.getPassword(connInfo, st, cb);
    });
};

module.exports.warnTo = helper.warnTo;


/***/ }),

/***/ 3879:
/***/ ((__unused_webpack_module, exports) => {



exports.parse = function (source, transform) {
  return new ArrayParser(source, transform).parse()
}

class ArrayParser {
  constructor (source, transform) {
    this.source = source
    this.transform = transform || identity
    this.position = 0
    this.entries = []
    this.recorded = []
    this.dimension = 0
  }

  isEof () {
    return this.position >= this.source.length
  }

  nextCharacter () {
    var character = this.source[this.position++]
    if (character === '\\') {
      return {
        value: this.source[this.position++],
        escaped: true
      }
    }
    return {
      value: character,
      escaped: false
    }
  }

  record (character) {
    this.recorded.push(character)
  }

  newEntry (includeEmpty) {
    var entry
    if (this.recorded.length > 0 || includeEmpty) {
      entry = this.recorded.join('')
      if (entry === 'NULL' && !includeEmpty) {
        entry = null
      }
      if (entry !== null) entry = this.transform(entry)
      this.entries.push(entry)
      this.recorded = []
    }
  }

  consumeDimensions () {
    if (this.source[0] === '[') {
      while (!this.isEof()) {
        var char = this.nextCharacter()
        if (char.value === '=') break
      }
    }
  }

  parse (nested) {
    var character, parser, quote
    this.consumeDimensions()
    while (!this.isEof()) {
      character = this.nextCharacter()
      if (character.value === '{' && !quote) {
        this.dimension++
        if (this.dimension > 1) {
          parser = new ArrayParser(this.source.substr(this.position - 1), this.transform)
          this.entries.push(parser.parse(true))
          this.position += parser.position - 2
        }
      } else if (character.value === '}' && !quote) {
        this.dimension--
        if (!this.dimension) {
          this.newEntry()
          if (nested) return this.entries
        }
      } else if (character.value === '"' && !character.escaped) {
        if (quote) this.newEntry(true)
        quote = !quote
      } else if (character.value === ',' && !quote) {
        this.newEntry()
      } else {
        this.record(character.value)
      }
    }
    if (this.dimension !== 0) {
      throw new Error('array dimension not balanced')
    }
    return this.entries
  }
}

function identity (value) {
  return value
}


/***/ }),

/***/ 463:
/***/ ((module) => {



var bufferFrom = Buffer.from || Buffer

module.exports = function parseBytea (input) {
  if (/^\\x/.test(input)) {
    // new 'hex' style response (pg >9.0)
    return bufferFrom(input.substr(2), 'hex')
  }
  var output = ''
  var i = 0
  while (i < input.length) {
    if (input[i] !== '\\') {
      output += input[i]
      ++i
    } else {
      if (/[0-7]{3}/.test(input.substr(i + 1, 3))) {
        output += String.fromCharCode(parseInt(input.substr(i + 1, 3), 8))
        i += 4
      } else {
        var backslashes = 1
        while (i + backslashes < input.length && input[i + backslashes] === '\\') {
          backslashes++
        }
        for (var k = 0; k < Math.floor(backslashes / 2); ++k) {
          output += '\\'
        }
        i += Math.floor(backslashes / 2) * 2
      }
    }
  }
  return bufferFrom(output, 'binary')
}


/***/ }),

/***/ 2690:
/***/ ((module) => {



var DATE_TIME = /(\d{1,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,})?.*?( BC)?$/
var DATE = /^(\d{1,})-(\d{2})-(\d{2})( BC)?$/
var TIME_ZONE = /([Z+-])(\d{2})?:?(\d{2})?:?(\d{2})?/
var INFINITY = /^-?infinity$/

module.exports = function parseDate (isoDate) {
  if (INFINITY.test(isoDate)) {
    // Capitalize to Infinity before passing to Number
    return Number(isoDate.replace('i', 'I'))
  }
  var matches = DATE_TIME.exec(isoDate)

  if (!matches) {
    // Force YYYY-MM-DD dates to be parsed as local time
    return getDate(isoDate) || null
  }

  var isBC = !!matches[8]
  var year = parseInt(matches[1], 10)
  if (isBC) {
    year = bcYearToNegativeYear(year)
  }

  var month = parseInt(matches[2], 10) - 1
  var day = matches[3]
  var hour = parseInt(matches[4], 10)
  var minute = parseInt(matches[5], 10)
  var second = parseInt(matches[6], 10)

  var ms = matches[7]
  ms = ms ? 1000 * parseFloat(ms) : 0

  var date
  var offset = timeZoneOffset(isoDate)
  if (offset != null) {
    date = new Date(Date.UTC(year, month, day, hour, minute, second, ms))

    // Account for years from 0 to 99 being interpreted as 1900-1999
    // by Date.UTC / the multi-argument form of the Date constructor
    if (is0To99(year)) {
      date.setUTCFullYear(year)
    }

    if (offset !== 0) {
      date.setTime(date.getTime() - offset)
    }
  } else {
    date = new Date(year, month, day, hour, minute, second, ms)

    if (is0To99(year)) {
      date.setFullYear(year)
    }
  }

  return date
}

function getDate (isoDate) {
  var matches = DATE.exec(isoDate)
  if (!matches) {
    return
  }

  var year = parseInt(matches[1], 10)
  var isBC = !!matches[4]
  if (isBC) {
    year = bcYearToNegativeYear(year)
  }

  var month = parseInt(matches[2], 10) - 1
  var day = matches[3]
  // YYYY-MM-DD will be parsed as local time
  var date = new Date(year, month, day)

  if (is0To99(year)) {
    date.setFullYear(year)
  }

  return date
}

// match timezones:
// Z (UTC)
// -05
// +06:30
function timeZoneOffset (isoDate) {
  if (isoDate.endsWith('+00')) {
    return 0
  }

  var zone = TIME_ZONE.exec(isoDate.split(' ')[1])
  if (!zone) return
  var type = zone[1]

  if (type === 'Z') {
    return 0
  }
  var sign = type === '-' ? -1 : 1
  var offset = parseInt(zone[2], 10) * 3600 +
    parseInt(zone[3] || 0, 10) * 60 +
    parseInt(zone[4] || 0, 10)

  return offset * sign * 1000
}

function bcYearToNegativeYear (year) {
  // Account for numerical difference between representations of BC years
  // See: https://github.com/bendrucker/postgres-date/issues/5
  return -(year - 1)
}

function is0To99 (num) {
  return num >= 0 && num < 100
}


/***/ }),

/***/ 8755:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



var extend = __nccwpck_require__(223)

module.exports = PostgresInterval

function PostgresInterval (raw) {
  if (!(this instanceof PostgresInterval)) {
    return new PostgresInterval(raw)
  }
  extend(this, parse(raw))
}
var properties = ['seconds', 'minutes', 'hours', 'days', 'months', 'years']
PostgresInterval.prototype.toPostgres = function () {
  var filtered = properties.filter(this.hasOwnProperty, this)

  // In addition to `properties`, we need to account for fractions of seconds.
  if (this.milliseconds && filtered.indexOf('seconds') < 0) {
    filtered.push('seconds')
  }

  if (filtered.length === 0) return '0'
  return filtered
    .map(function (property) {
      var value = this[property] || 0

      // Account for fractional part of seconds,
      // remove trailing zeroes.
      if (property === 'seconds' && this.milliseconds) {
        value = (value + this.milliseconds / 1000).toFixed(6).replace(/\.?0+$/, '')
      }

      return value + ' ' + property
    }, this)
    .join(' ')
}

var propertiesISOEquivalent = {
  years: 'Y',
  months: 'M',
  days: 'D',
  hours: 'H',
  minutes: 'M',
  seconds: 'S'
}
var dateProperties = ['years', 'months', 'days']
var timeProperties = ['hours', 'minutes', 'seconds']
// according to ISO 8601
PostgresInterval.prototype.toISOString = PostgresInterval.prototype.toISO = function () {
  var datePart = dateProperties
    .map(buildProperty, this)
    .join('')

  var timePart = timeProperties
    .map(buildProperty, this)
    .join('')

  return 'P' + datePart + 'T' + timePart

  function buildProperty (property) {
    var value = this[property] || 0

    // Account for fractional part of seconds,
    // remove trailing zeroes.
    if (property === 'seconds' && this.milliseconds) {
      value = (value + this.milliseconds / 1000).toFixed(6).replace(/0+$/, '')
    }

    return value + propertiesISOEquivalent[property]
  }
}

var NUMBER = '([+-]?\\d+)'
var YEAR = NUMBER + '\\s+years?'
var MONTH = NUMBER + '\\s+mons?'
var DAY = NUMBER + '\\s+days?'
var TIME = '([+-])?([\\d]*):(\\d\\d):(\\d\\d)\\.?(\\d{1,6})?'
var INTERVAL = new RegExp([YEAR, MONTH, DAY, TIME].map(function (regexString) {
  return '(' + regexString + ')?'
})
  .join('\\s*'))

// Positions of values in regex match
var positions = {
  years: 2,
  months: 4,
  days: 6,
  hours: 9,
  minutes: 10,
  seconds: 11,
  milliseconds: 12
}
// We can use negative time
var negatives = ['hours', 'minutes', 'seconds', 'milliseconds']

function parseMilliseconds (fraction) {
  // add omitted zeroes
  var microseconds = fraction + '000000'.slice(fraction.length)
  return parseInt(microseconds, 10) / 1000
}

function parse (interval) {
  if (!interval) return {}
  var matches = INTERVAL.exec(interval)
  var isNegative = matches[8] === '-'
  return Object.keys(positions)
    .reduce(function (parsed, property) {
      var position = positions[property]
      var value = matches[position]
      // no empty string
      if (!value) return parsed
      // milliseconds are actually microseconds (up to 6 digits)
      // with omitted trailing zeroes.
      value = property === 'milliseconds'
        ? parseMilliseconds(value)
        : parseInt(value, 10)
      // no zeros
      if (!value) return parsed
      if (isNegative && ~negatives.indexOf(property)) {
        value *= -1
      }
      parsed[property] = value
      return parsed
    }, {})
}


/***/ }),

/***/ 5286:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

/*
Copyright (c) 2014-2021, Matteo Collina <hello@matteocollina.com>

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR
IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
*/



const { Transform } = __nccwpck_require__(2203)
const { StringDecoder } = __nccwpck_require__(3193)
const kLast = Symbol('last')
const kDecoder = Symbol('decoder')

function transform (chunk, enc, cb) {
  let list
  if (this.overflow) { // Line buffer is full. Skip to start of next line.
    const buf = this[kDecoder].write(chunk)
    list = buf.split(this.matcher)

    if (list.length === 1) return cb() // Line ending not found. Discard entire chunk.

    // Line ending found. Discard trailing fragment of previous line and reset overflow state.
    list.shift()
    this.overflow = false
  } else {
    this[kLast] += this[kDecoder].write(chunk)
    list = this[kLast].split(this.matcher)
  }

  this[kLast] = list.pop()

  for (let i = 0; i < list.length; i++) {
    try {
      push(this, this.mapper(list[i]))
    } catch (error) {
      return cb(error)
    }
  }

  this.overflow = this[kLast].length > this.maxLength
  if (this.overflow && !this.skipOverflow) {
    cb(new Error('maximum buffer reached'))
    return
  }

  cb()
}

function flush (cb) {
  // forward any gibberish left in there
  this[kLast] += this[kDecoder].end()

  if (this[kLast]) {
    try {
      push(this, this.mapper(this[kLast]))
    } catch (error) {
      return cb(error)
    }
  }

  cb()
}

function push (self, val) {
  if (val !== undefined) {
    self.push(val)
  }
}

function noop (incoming) {
  return incoming
}

function split (matcher, mapper, options) {
  // Set defaults for any arguments not supplied.
  matcher = matcher || /\r?\n/
  mapper = mapper || noop
  options = options || {}

  // Test arguments explicitly.
  switch (arguments.length) {
    case 1:
      // If mapper is only argument.
      if (typeof matcher === 'function') {
        mapper = matcher
        matcher = /\r?\n/
      // If options is only argument.
      } else if (typeof matcher === 'object' && !(matcher instanceof RegExp) && !matcher[Symbol.split]) {
        options = matcher
        matcher = /\r?\n/
      }
      break

    case 2:
      // If mapper and options are arguments.
      if (typeof matcher === 'function') {
        options = mapper
        mapper = matcher
        matcher = /\r?\n/
      // If matcher and options are arguments.
      } else if (typeof mapper === 'object') {
        options = mapper
        mapper = noop
      }
  }

  options = Object.assign({}, options)
  options.autoDestroy = true
  options.transform = transform
  options.flush = flush
  options.readableObjectMode = true

  const stream = new Transform(options)

  stream[kLast] = ''
  stream[kDecoder] = new StringDecoder('utf8')
  stream.matcher = matcher
  stream.mapper = mapper
  stream.maxLength = options.maxLength
  stream.skipOverflow = options.skipOverflow || false
  stream.overflow = false
  stream._destroy = function (err, cb) {
    // Weird Node v12 bug that we need to work around
    this._writableState.errorEmitted = false
    cb(err)
  }

  return stream
}

module.exports = split


/***/ }),

/***/ 223:
/***/ ((module) => {

module.exports = extend

var hasOwnProperty = Object.prototype.hasOwnProperty;

function extend(target) {
    for (var i = 1; i < arguments.length; i++) {
        var source = arguments[i]

        for (var key in source) {
            if (hasOwnProperty.call(source, key)) {
                target[key] = source[key]
            }
        }
    }

    return target
}


/***/ }),

/***/ 7638:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Fj: () => (/* binding */ configError),
/* harmony export */   Xu: () => (/* binding */ inputError),
/* harmony export */   as: () => (/* binding */ isRelayError),
/* harmony export */   bD: () => (/* binding */ messageOf),
/* harmony export */   cx: () => (/* binding */ RelayError)
/* harmony export */ });
class RelayError extends Error {
    kind;
    constructor(kind, message, options) {
        super(message, options);
        this.kind = kind;
        this.name = "RelayError";
    }
}
const configError = (message) => new RelayError("config", message);
const inputError = (message) => new RelayError("input", message);
function isRelayError(err, kind) {
    return err instanceof RelayError && (kind === undefined || err.kind === kind);
}
/** The message of anything thrown, for logs and results. */
function messageOf(err) {
    return err instanceof Error ? err.message : String(err);
}


/***/ }),

/***/ 4390:
/***/ ((module) => {

module.exports = eval("require")("pg-native");


/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 2250:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("dns");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 8253:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util/types");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  AM: () => (/* reexport */ main),
  tU: () => (/* reexport */ post),
  c9: () => (/* reexport */ main_main),
  xr: () => (/* reexport */ post_post),
  ak: () => (/* reexport */ runCli)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: ./packages/core/src/errors.ts
var src_errors = __nccwpck_require__(7638);
;// CONCATENATED MODULE: ./packages/core/src/dir/directives.ts
// File directives, read as Atlas reads them (sql/migrate/dir.go):
// - `atlas:sum` and `atlas:delimiter` are looked for on the first line only;
// - other directives (`atlas:txmode`) come from the file's leading block of `--`/`#` comment lines, and
//   count only when a blank line separates that block from the statements.

// Atlas's reDirective: printable ASCII before `atlas:`, the name, then the argument (the rest of the line).
const DIRECTIVE = /^([ -~]*)atlas:(\w+)(?: +([ -~]*))*/;
/** The directive on the first line of `text`, if any (Atlas's `directive()`). */
function directiveOf(text) {
    const nl = text.indexOf("\n");
    const m = DIRECTIVE.exec(nl === -1 ? text : text.slice(0, nl));
    return m ? { prefix: m[1], name: m[2], arg: m[3] ?? "" } : null;
}
/** `\n`, `\t`, `\r` in a delimiter directive stand for the characters (Atlas's setDelim). */
function unescapeDelimiter(d) {
    return d.replace(/\\[ntr]/g, (e) => (e === "\\n" ? "\n" : e === "\\t" ? "\t" : "\r"));
}
/** The escaped delimiter of a `-- atlas:delimiter X` first line, or null; "" when X is empty. */
function delimiterDirective(src) {
    const d = directiveOf(src);
    return d && d.name === "delimiter" && d.prefix === "-- " ? d.arg : null;
}
const decoder = new TextDecoder();
function firstLine(content) {
    if (typeof content === "string")
        return content;
    const nl = content.indexOf(0x0a);
    return decoder.decode(nl === -1 ? content : content.subarray(0, nl));
}
/** True when the file's first line carries `atlas:sum ignore` (it then gets no atlas.sum line). */
function isSumIgnored(content) {
    const d = directiveOf(firstLine(content));
    return d !== null && d.name === "sum" && d.arg === "ignore";
}
/**
 * The leading comment lines that form the file's header (Atlas's LocalFile.comments): none unless a
 * blank line follows the block.
 */
function headerComments(content) {
    const comments = [];
    let rest = content;
    while (rest.startsWith("#") || rest.startsWith("--")) {
        const nl = rest.indexOf("\n");
        if (nl === -1)
            return []; // A comments-only file has no blank line after its header.
        comments.push(rest.slice(0, nl).trim());
        rest = rest.slice(nl + 1);
    }
    // As Atlas: the separating line may hold spaces or tabs.
    return rest.replace(/^[ \t]*/, "").startsWith("\n") ? comments : [];
}
/** Reads a file's directives; throws RelayError("migration") for a txmode Atlas would refuse. */
function fileDirectives(content, name = "the file") {
    const text = typeof content === "string" ? content : decoder.decode(content);
    const out = { sumIgnore: isSumIgnored(text) };
    const delim = delimiterDirective(text);
    if (delim !== null && delim !== "")
        out.delimiter = unescapeDelimiter(delim);
    const modes = headerComments(text)
        .map(directiveOf)
        .filter((d) => d !== null && d.name === "txmode")
        .map((d) => d.arg);
    if (modes.length > 1) {
        throw new src_errors/* RelayError */.cx("migration", `${name}: more than one atlas:txmode directive (${modes.join(", ")})`);
    }
    const mode = modes[0];
    if (mode === "none" || mode === "file")
        out.txmode = mode;
    else if (mode === "all") {
        throw new src_errors/* RelayError */.cx("migration", `${name}: atlas:txmode all is not allowed in a file directive; set tx-mode all for the whole run instead`);
    }
    else if (mode !== undefined && mode !== "") {
        throw new src_errors/* RelayError */.cx("migration", `${name}: unknown atlas:txmode "${mode}"; use none or file`);
    }
    return out;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
;// CONCATENATED MODULE: ./packages/core/src/redact.ts
// Every URL shown to a person goes through here: passwords and tokens never reach a log.
const SECRET_PARAMS = /^(password|pass|pwd|token|secret|access_key|secret_key|sessiontoken|x-amz-security-token|x-amz-credential|x-amz-signature)$/i;
/** `postgres://user:pass@host/db?password=x` -> `postgres://user:***@host/db?password=***`. */
function redactUrl(raw) {
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        // Not a URL we can parse: still hide anything that looks like userinfo.
        return raw.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
    }
    const secretKeys = [...url.searchParams.keys()].filter((key) => SECRET_PARAMS.test(key));
    // Nothing to hide: show the URL exactly as written (URL would add a trailing "/" to some).
    if (!url.password && secretKeys.length === 0)
        return raw;
    if (url.password)
        url.password = "***";
    for (const key of secretKeys)
        url.searchParams.set(key, "***");
    // URL encodes "*" in userinfo as-is and in the query as "%2A"; show both as ***.
    return url.toString().replace(/%2A%2A%2A/g, "***");
}
/** The secrets inside a URL (password, secret query values), to be masked wherever printed. */
function secretsOfUrl(raw) {
    const out = [];
    try {
        const url = new URL(raw);
        if (url.password)
            out.push(url.password, decodeURIComponent(url.password));
        for (const [key, value] of url.searchParams)
            if (SECRET_PARAMS.test(key) && value)
                out.push(value);
    }
    catch {
        /* not a URL: nothing to extract */
    }
    return [...new Set(out)];
}

;// CONCATENATED MODULE: ./packages/core/src/dir/files.ts
// A local migration directory: its top-level `*.sql` files and atlas.sum, as Atlas's LocalDir reads them.





const SUM_FILE = "atlas.sum";
/** Version and description from a file name: `1_init.sql` -> {version "1", description "init"}. */
function parseName(name) {
    const base = name.endsWith(".sql") ? name.slice(0, -4) : name;
    const cut = base.indexOf("_");
    if (cut === -1)
        return { version: base, description: "" };
    return { version: base.slice(0, cut), description: base.slice(cut + 1) };
}
/**
 * Compare file names by their bytes (not localeCompare), as Go's sort.Strings does. UTF-8 byte order
 * equals code point order, so comparing code points needs no encoding.
 */
function compareNames(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const ca = a.codePointAt(i);
        const cb = b.codePointAt(j);
        if (ca !== cb)
            return ca < cb ? -1 : 1;
        i += ca > 0xffff ? 2 : 1;
        j += cb > 0xffff ? 2 : 1;
    }
    if (i < a.length)
        return 1;
    if (j < b.length)
        return -1;
    return 0;
}
/** A migration file from its name and bytes. */
function migrationFile(name, content) {
    return { name, ...parseName(name), content };
}
/** Files in the byte order of their names (a copy; the input is left as it was). */
function sortFiles(files) {
    return [...files].sort((x, y) => compareNames(x.name, y.name));
}
/**
 * The local path of a directory URL: `file://rel`, `file:///abs` or a plain path, relative to cwd.
 * `?format=atlas` is accepted (Atlas's spelling); other formats are not read by this tool.
 */
function dirPath(url, cwd = process.cwd()) {
    let rest = url;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        if (!url.toLowerCase().startsWith("file://")) {
            throw new src_errors/* RelayError */.cx("config", `${redactUrl(url)} is not a local directory; use file://<path> (or a plain path) for the migration directory`);
        }
        rest = url.slice("file://".length);
    }
    const q = rest.indexOf("?");
    if (q !== -1) {
        const format = new URLSearchParams(rest.slice(q + 1)).get("format");
        if (format !== null && format !== "atlas") {
            throw new src_errors/* RelayError */.cx("config", `directory format "${format}" is not supported (${redactUrl(url)}); only Atlas's format is`);
        }
        rest = rest.slice(0, q);
    }
    if (rest === "")
        throw new src_errors/* RelayError */.cx("config", `"${redactUrl(url)}" names no directory`);
    return (0,external_node_path_.isAbsolute)(rest) ? rest : (0,external_node_path_.resolve)(cwd, rest);
}
/** Reads a `file://` directory URL (or a plain path) relative to cwd: top-level `*.sql` + atlas.sum. */
async function readDir(url, cwd = process.cwd()) {
    const path = dirPath(url, cwd);
    let entries;
    try {
        entries = await (0,promises_.readdir)(path, { withFileTypes: true });
    }
    catch (err) {
        const code = err.code;
        if (code === "ENOENT") {
            throw new src_errors/* RelayError */.cx("input", `migration directory ${path} does not exist (from "${redactUrl(url)}")`);
        }
        if (code === "ENOTDIR") {
            throw new src_errors/* RelayError */.cx("input", `${path} is not a directory (from "${redactUrl(url)}")`);
        }
        throw new src_errors/* RelayError */.cx("input", `cannot read migration directory ${path}: ${err.message}`);
    }
    const files = [];
    let sum = null;
    for (const entry of entries) {
        const name = entry.name;
        const isSql = name.endsWith(".sql");
        if (!isSql && name !== SUM_FILE)
            continue;
        const full = (0,external_node_path_.join)(path, name);
        let content;
        try {
            // Like Go's fs.Glob + ReadFile: symlinks are followed, subdirectories named *.sql are skipped.
            if (!(entry.isFile() || (entry.isSymbolicLink() && (0,external_node_fs_.statSync)(full).isFile())))
                continue;
            // Synchronous on purpose: thousands of small files read ~10x faster than one promise each.
            content = new Uint8Array((0,external_node_fs_.readFileSync)(full));
        }
        catch (err) {
            throw new src_errors/* RelayError */.cx("input", `cannot read ${full}: ${err.message}`);
        }
        if (isSql)
            files.push(migrationFile(name, content));
        else
            sum = content;
    }
    return { files: sortFiles(files), sum };
}
/** A name that stays inside the directory it is written to: no separators, no `.`/`..`, no NUL. */
function isPlainName(name) {
    return name !== "" && name !== "." && name !== ".." && !/[/\\\0]/.test(name) && !/^[A-Za-z]:/.test(name);
}
/** Writes a directory's files and atlas.sum into `path` (created if missing). Other files are left alone. */
async function writeDir(path, dir) {
    for (const f of dir.files) {
        if (!isPlainName(f.name)) {
            throw new src_errors/* RelayError */.cx("integrity", `refusing to write "${f.name}": not a plain file name`);
        }
    }
    await (0,promises_.mkdir)(path, { recursive: true });
    for (const f of dir.files)
        await (0,promises_.writeFile)((0,external_node_path_.join)(path, f.name), f.content);
    if (dir.sum)
        await (0,promises_.writeFile)((0,external_node_path_.join)(path, SUM_FILE), dir.sum);
}

;// CONCATENATED MODULE: ./packages/core/src/dir/sum.ts
// atlas.sum: Atlas's integrity file. One running SHA-256 over the whole directory (name bytes, then
// content bytes, per file); each line holds the digest so far, so editing one file changes its line and
// every line after it. The first line is a fresh SHA-256 over every line's name and hash.




const encoder = new TextEncoder();
const sum_decoder = new TextDecoder();
/** The per-file lines Atlas computes for these files (sorted by name bytes; `atlas:sum ignore` files get none). */
function sumLines(files) {
    const running = (0,external_node_crypto_.createHash)("sha256");
    const lines = [];
    for (const f of sortFiles(files)) {
        running.update(encoder.encode(f.name));
        if (isSumIgnored(f.content))
            continue;
        running.update(f.content);
        lines.push({ name: f.name, hash: running.copy().digest("base64") });
    }
    return lines;
}
/** The total over the lines: SHA-256 of name + hash for each line, base64. */
function totalOf(lines) {
    const h = (0,external_node_crypto_.createHash)("sha256");
    for (const l of lines) {
        h.update(encoder.encode(l.name));
        h.update(encoder.encode(l.hash));
    }
    return h.digest("base64");
}
/** The atlas.sum bytes Atlas writes for these files (in byte order of their names). */
function hashDir(files) {
    const lines = sumLines(files);
    let text = `h1:${totalOf(lines)}\n`;
    for (const l of lines)
        text += `${l.name} h1:${l.hash}\n`;
    return encoder.encode(text);
}
/** Parses atlas.sum as Atlas does (lines split at the first `h1:`, names trimmed, CR before LF dropped). */
function parseSum(sum) {
    const text = sum_decoder.decode(sum);
    const rows = text.split("\n");
    // Like Go's bufio.Scanner: a final newline does not start another line; a CR before LF is dropped.
    if (rows.length > 0 && rows[rows.length - 1] === "")
        rows.pop();
    const lineText = (i) => rows[i].replace(/\r$/, "");
    const first = rows.length > 0 ? lineText(0) : "";
    if (!first.startsWith("h1:")) {
        throw new src_errors/* RelayError */.cx("integrity", `atlas.sum L1: expected "h1:<sum>", got "${first.slice(0, 60)}"`);
    }
    const lines = [];
    for (let i = 1; i < rows.length; i++) {
        const row = lineText(i);
        const cut = row.indexOf("h1:");
        if (cut === -1) {
            throw new src_errors/* RelayError */.cx("integrity", `atlas.sum L${i + 1}: expected "<file> h1:<hash>", got "${row.slice(0, 60)}"`);
        }
        lines.push({ name: row.slice(0, cut).trim(), hash: row.slice(cut + 3) });
    }
    return { total: first.slice(3), lines };
}
/** The `h1:<total>` first line of an atlas.sum. */
function sumTotal(sum) {
    return `h1:${parseSum(sum).total}`;
}
const mismatch = (line, file, reason) => new src_errors/* RelayError */.cx("integrity", `L${line}: ${file} was ${reason}`);
/**
 * Throws RelayError("integrity", "L<n>: <file> was added|edited|removed" / missing atlas.sum).
 * The line is where the first difference sits in atlas.sum (L1 is the total; file i is on L(i+2)).
 */
function validateDir(dir) {
    if (dir.sum === null) {
        if (dir.files.length === 0)
            return;
        throw new src_errors/* RelayError */.cx("integrity", `atlas.sum not found: the directory has ${dir.files.length} migration file(s) but no atlas.sum`);
    }
    const recorded = parseSum(dir.sum);
    const actual = sumLines(dir.files);
    // A total that disagrees with its own lines means atlas.sum itself was edited by hand.
    if (totalOf(recorded.lines) !== recorded.total)
        throw mismatch(1, "atlas.sum", "edited");
    const recordedNames = new Set(recorded.lines.map((l) => l.name));
    const actualNames = new Set(actual.map((l) => l.name));
    const n = Math.max(recorded.lines.length, actual.length);
    for (let i = 0; i < n; i++) {
        const want = recorded.lines[i];
        const got = actual[i];
        if (want && got && want.name === got.name) {
            if (want.hash !== got.hash)
                throw mismatch(i + 2, got.name, "edited");
            continue;
        }
        if (got && !recordedNames.has(got.name))
            throw mismatch(i + 2, got.name, "added");
        if (want && !actualNames.has(want.name))
            throw mismatch(i + 2, want.name, "removed");
        // Same names in another order: the file at this line is not the one atlas.sum expects.
        throw mismatch(i + 2, (got ?? want).name, "edited");
    }
}
/**
 * True when `next` continues `previous`: previous's file lines are a prefix of next's. Hashes are
 * cumulative, so this means next keeps every earlier file unchanged and only adds files after them.
 */
function sumExtends(previous, next) {
    const before = parseSum(previous).lines;
    const after = parseSum(next).lines;
    if (before.length > after.length)
        return false;
    return before.every((l, i) => l.name === after[i].name && l.hash === after[i].hash);
}

;// CONCATENATED MODULE: ./packages/core/src/apply/revisions.ts
/** Written to operator_version; a unit test keeps it equal to packages/core/package.json. */
const OPERATOR_VERSION = "migrate-relay 0.1.0";
const REVISIONS_TABLE = "atlas_schema_revisions";
/** Atlas's default schema for the table when the URL names no schema. */
const DEFAULT_REVISIONS_SCHEMA = "atlas_schema_revisions";
/** Atlas Cloud's row that identifies the table; never a migration. */
const CLOUD_IDENTIFIER = ".atlas_cloud_identifier";
const quote = (ident) => `"${ident.replace(/"/g, '""')}"`;
/** `"schema"."atlas_schema_revisions"`. */
const tableName = (schema) => `${quote(schema)}.${quote(REVISIONS_TABLE)}`;
/** The revisions schema: explicit option, else the URL's search_path, else Atlas's default. */
function revisionsSchemaFor(option, urlSchema) {
    return option || urlSchema || DEFAULT_REVISIONS_SCHEMA;
}
/** The DDL ent generates for Atlas's Revision schema (column names, types, defaults, nullability). */
function createTableSql(schema) {
    return `CREATE TABLE IF NOT EXISTS ${tableName(schema)} (
  "version" character varying NOT NULL,
  "description" character varying NOT NULL,
  "type" bigint NOT NULL DEFAULT 2,
  "applied" bigint NOT NULL DEFAULT 0,
  "total" bigint NOT NULL DEFAULT 0,
  "executed_at" timestamptz NOT NULL,
  "execution_time" bigint NOT NULL,
  "error" text NULL,
  "error_stmt" text NULL,
  "hash" character varying NOT NULL,
  "partial_hashes" jsonb NULL,
  "operator_version" character varying NOT NULL,
  PRIMARY KEY ("version")
)`;
}
async function tableState(client, schema) {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS s,
            EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')) AS t`, [schema, REVISIONS_TABLE]);
    return { schemaExists: rows[0]?.s === true, tableExists: rows[0]?.t === true };
}
/** Creates the schema and table when missing (checking first: CREATE SCHEMA needs a privilege even with IF NOT EXISTS). */
async function ensureRevisionsTable(client, schema, state) {
    const { schemaExists, tableExists } = state ?? (await tableState(client, schema));
    if (tableExists)
        return;
    if (!schemaExists)
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
    await client.query(createTableSql(schema));
}
/** All revisions in version order (byte order, as Atlas compares versions); [] when the table is missing. */
async function readRevisions(client, schema, exists) {
    if (exists === false)
        return [];
    if (exists === undefined && !(await tableState(client, schema)).tableExists)
        return [];
    const { rows } = await client.query(`SELECT * FROM ${tableName(schema)} WHERE version <> $1`, [
        CLOUD_IDENTIFIER,
    ]);
    return rows
        .map((r) => ({
        version: r.version,
        description: r.description,
        type: Number(r.type),
        applied: Number(r.applied),
        total: Number(r.total),
        executedAt: r.executed_at,
        executionTime: BigInt(r.execution_time),
        error: r.error ?? "",
        errorStmt: r.error_stmt ?? "",
        hash: r.hash,
        partialHashes: Array.isArray(r.partial_hashes) ? r.partial_hashes : [],
        operatorVersion: r.operator_version,
    }))
        .sort((a, b) => compareBytes(a.version, b.version));
}
/** Go's strings.Compare: by UTF-8 bytes, not locale. */
function compareBytes(a, b) {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
/** Marks a file's start inside the run's transaction (tx-mode all), for the server to time it. */
const FILE_CLOCK_SQL = "SELECT set_config('migrate_relay.file_started', clock_timestamp()::text, true)";
const MARKED_START = "current_setting('migrate_relay.file_started')::timestamptz";
const elapsedNs = (start) => `(extract(epoch FROM clock_timestamp() - ${start}) * 1000000000)::bigint`;
/**
 * The upsert Atlas's ent client does (ON CONFLICT ... UpdateNewValues): every column but the immutable
 * version, description and executed_at is overwritten.
 */
function upsertRevision(schema, w) {
    const values = [
        w.version,
        w.description,
        w.type,
        w.applied,
        w.total,
        w.error,
        w.errorStmt,
        w.hash,
        // ent stores a nil []string as JSON null.
        JSON.stringify(w.partialHashes.length ? w.partialHashes : null),
        OPERATOR_VERSION,
    ];
    let executedAt = "now()";
    let executionTime = elapsedNs("now()");
    if (w.clock === "marked") {
        executedAt = MARKED_START;
        executionTime = elapsedNs(MARKED_START);
    }
    else if (w.clock !== "tx") {
        values.push(w.clock.executedAt.toISOString(), String(w.clock.executionTimeNs));
        executedAt = "$11::timestamptz";
        executionTime = "$12::bigint";
    }
    const text = `INSERT INTO ${tableName(schema)}
  ("version", "description", "type", "applied", "total", "executed_at", "execution_time",
   "error", "error_stmt", "hash", "partial_hashes", "operator_version")
VALUES ($1, $2, $3, $4, $5, ${executedAt}, ${executionTime}, $6, $7, $8, $9::jsonb, $10)
ON CONFLICT ("version") DO UPDATE SET
  "type" = EXCLUDED."type", "applied" = EXCLUDED."applied", "total" = EXCLUDED."total",
  "execution_time" = EXCLUDED."execution_time", "error" = EXCLUDED."error",
  "error_stmt" = EXCLUDED."error_stmt", "hash" = EXCLUDED."hash",
  "partial_hashes" = EXCLUDED."partial_hashes", "operator_version" = EXCLUDED."operator_version"`;
    return { text, values };
}
/** The same query with its values written in as literals, to travel inside a multi-statement message. */
function inlineQuery(q) {
    return q.text.replace(/\$(\d+)/g, (_, n) => {
        const v = q.values[Number(n) - 1];
        return typeof v === "number" ? String(v) : escapeLiteral(String(v));
    });
}
/** PostgreSQL string literal; E'' form when backslashes are present (as pg's escapeLiteral). */
function escapeLiteral(text) {
    const quoted = `'${text.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`;
    return text.includes("\\") ? ` E${quoted}` : quoted;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/clean.ts

/**
 * Schemas (with their tables) the way Atlas inspects a realm (sql/postgres/inspect.go schemasQuery and
 * tablesQuery): system and temp schemas left out; tables from information_schema.tables, so only those
 * the user owns or holds a privilege on, and not partitions nor tables that belong to an extension
 * (PostGIS's spatial_ref_sys in public does not make a database dirty).
 */
async function schemas(client, only) {
    const { rows } = await client.query(`SELECT n.nspname AS schema,
            coalesce(array_agg(t.name ORDER BY t.name) FILTER (WHERE t.name IS NOT NULL), '{}')::text[] AS tables
       FROM pg_namespace n
       LEFT JOIN (
         SELECT t1.table_schema::text AS schema, t1.table_name::text AS name
           FROM information_schema.tables t1
           JOIN pg_namespace t2 ON t2.nspname = t1.table_schema
           JOIN pg_class t3 ON t3.relnamespace = t2.oid AND t3.relname = t1.table_name
           LEFT JOIN pg_depend t5 ON t5.objid = t3.oid AND t5.deptype = 'e'
          WHERE t1.table_type = 'BASE TABLE' AND NOT coalesce(t3.relispartition, false) AND t5.objid IS NULL
       ) t ON t.schema = n.nspname
      WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast', 'crdb_internal', 'pg_extension')
        AND n.nspname NOT LIKE 'pg_%temp_%'
        AND ($1::text IS NULL OR n.nspname = $1)
      GROUP BY n.nspname ORDER BY n.nspname`, [only ?? null]);
    return new Map(rows.map((r) => [r.schema, r.tables]));
}
/**
 * Why the database is not clean, or null when it is. With a schema-bound URL only that schema counts;
 * otherwise every schema: only an empty `public` and the revisions table's own schema are allowed.
 */
async function notCleanReason(client, connectedSchema, revisionsSchema) {
    if (connectedSchema) {
        const tables = (await schemas(client, connectedSchema)).get(connectedSchema) ?? [];
        const onlyRevisions = tables.length === 1 && tables[0] === REVISIONS_TABLE && connectedSchema === revisionsSchema;
        if (tables.length === 0 || onlyRevisions)
            return null;
        return `found table "${tables[0]}" in schema "${connectedSchema}"`;
    }
    for (const [name, tables] of await schemas(client)) {
        if (tables.length === 0 && name === "public")
            continue;
        if (tables.length === 0 || name !== revisionsSchema)
            return `found schema "${name}"`;
        if (tables.length > 1)
            return `found ${tables.length} tables in schema "${name}"`;
        if (tables[0] !== REVISIONS_TABLE)
            return `found table "${tables[0]}" in schema "${name}"`;
    }
    return null;
}

// EXTERNAL MODULE: ./node_modules/pg/lib/index.js
var lib = __nccwpck_require__(3273);
;// CONCATENATED MODULE: ./node_modules/pg/esm/index.mjs
// ESM wrapper for pg


// Re-export all the properties
const Client = lib.Client
const Pool = lib.Pool
const Connection = lib.Connection
const types = lib.types
const Query = lib.Query
const DatabaseError = lib.DatabaseError
const escapeIdentifier = lib.escapeIdentifier
const esm_escapeLiteral = lib.escapeLiteral
const Result = lib.Result
const TypeOverrides = lib.TypeOverrides

// Also export the defaults
const defaults = lib.defaults

// Re-export the default
/* harmony default export */ const esm = (lib);

;// CONCATENATED MODULE: ./packages/core/src/apply/connection.ts
// PostgreSQL URLs as Atlas users write them -> pg client config, and connection errors a user can act on.




const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
// Query parameters that configure the connection itself; any other is sent as a server setting, as lib/pq does.
const CLIENT_PARAMS = new Set([
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "host",
    "port",
    "user",
    "password",
    "dbname",
    "options",
    "search_path",
]);
/** Parses `postgres://user:pass@host:port/db?search_path=s&sslmode=disable`. Throws a config error. */
function parsePostgresUrl(raw) {
    const display = redactUrl(raw);
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw (0,src_errors/* configError */.Fj)(`database URL ${display} is not a URL; expected postgres://user:pass@host:5432/db`);
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        throw (0,src_errors/* configError */.Fj)(`database URL ${display}: unsupported scheme "${url.protocol}"; expected postgres://`);
    }
    const q = url.searchParams;
    const sslMode = (q.get("sslmode") ?? "prefer");
    if (!SSL_MODES.includes(sslMode)) {
        throw (0,src_errors/* configError */.Fj)(`database URL ${display}: sslmode "${sslMode}" is not one of ${SSL_MODES.join(", ")}`);
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || q.get("dbname") || "";
    const searchPath = q.get("search_path") ?? undefined;
    const settings = [];
    if (searchPath)
        settings.push(`-c search_path=${escapeOption(searchPath)}`);
    for (const [key, value] of q) {
        if (!CLIENT_PARAMS.has(key))
            settings.push(`-c ${key}=${escapeOption(value)}`);
    }
    if (q.get("options"))
        settings.unshift(q.get("options"));
    const timeout = q.get("connect_timeout");
    const config = {
        host: url.hostname
            ? decodeURIComponent(url.hostname).replace(/^\[|\]$/g, "")
            : (q.get("host") ?? undefined),
        port: Number(url.port || q.get("port") || 5432),
        user: decodeURIComponent(url.username) || q.get("user") || undefined,
        password: url.password ? decodeURIComponent(url.password) : (q.get("password") ?? undefined),
        database: database || undefined,
        application_name: q.get("application_name") ?? "migrate-relay",
        connectionTimeoutMillis: timeout ? Number(timeout) * 1000 : 10_000,
        options: settings.length ? settings.join(" ") : undefined,
    };
    const ssl = {};
    // require/prefer/allow encrypt without verifying the certificate, as libpq does without a root cert.
    if (sslMode === "require" || sslMode === "prefer" || sslMode === "allow")
        ssl.rejectUnauthorized = false;
    if (sslMode === "verify-ca")
        ssl.checkServerIdentity = () => undefined;
    for (const [param, key] of [
        ["sslrootcert", "ca"],
        ["sslcert", "cert"],
        ["sslkey", "key"],
    ]) {
        const path = q.get(param);
        if (!path)
            continue;
        try {
            ssl[key] = (0,external_node_fs_.readFileSync)(path, "utf8");
        }
        catch (err) {
            throw (0,src_errors/* configError */.Fj)(`database URL ${display}: cannot read ${param} ${path}: ${err.message}`);
        }
    }
    const schema = searchPath
        ?.split(",")[0]
        ?.trim()
        .replace(/^"(.*)"$/, "$1");
    return {
        config,
        sslMode,
        ssl,
        schema: schema || undefined,
        database: database || config.user || "",
        display,
        secrets: secretsOfUrl(raw),
    };
}
// libpq's `options` splits on spaces; a backslash keeps one.
const escapeOption = (value) => value.replace(/\\/g, "\\\\").replace(/ /g, "\\ ");
/** Removes every secret from a message (belt and braces: server messages do not echo passwords). */
function scrub(message, secrets) {
    let out = message;
    for (const s of secrets)
        if (s.length >= 3)
            out = out.split(s).join("***");
    return out;
}
/**
 * Opens a connection. sslmode follows libpq: prefer (the default) tries TLS then plain, allow the
 * reverse, require/verify-* insist on TLS. Errors become RelayErrors naming the redacted URL.
 */
async function connect(target, extra = {}) {
    const attempts = target.sslMode === "disable"
        ? [false]
        : target.sslMode === "allow"
            ? [false, target.ssl]
            : target.sslMode === "prefer"
                ? [target.ssl, false]
                : [target.ssl];
    let last;
    for (const [i, ssl] of attempts.entries()) {
        const client = new esm.Client({ ...target.config, ...extra, ssl });
        // A backend killed while idle surfaces as an 'error' event; without a listener Node would crash.
        client.on("error", () => undefined);
        try {
            await client.connect();
            return client;
        }
        catch (err) {
            last = err;
            await client.end().catch(() => undefined);
            // Fall back to the other transport only when TLS itself was the problem.
            const retryable = i + 1 < attempts.length && isTransportError(err);
            if (!retryable)
                break;
        }
    }
    throw connectionError(last, target);
}
function isTransportError(err) {
    const message = err?.message ?? "";
    const code = err?.code ?? "";
    return (/does not support SSL|SSL|TLS|certificate|EPROTO|ECONNRESET/i.test(message) ||
        /^ERR_TLS|^ERR_SSL|EPROTO|ECONNRESET/.test(code) ||
        code === "28000" // pg_hba rejects this transport ("no pg_hba.conf entry ... SSL off/on")
    );
}
/** Maps a pg/socket error during connect to a RelayError with an actionable, secret-free message. */
function connectionError(err, target) {
    const e = err;
    const raw = scrub(e?.message ?? String(err), target.secrets);
    const where = target.display;
    const user = target.config.user ?? "(default user)";
    const wrap = (kind, message) => new src_errors/* RelayError */.cx(kind, message, { cause: err });
    switch (e?.code) {
        case "28P01":
            return wrap("unauthorized", `password authentication failed for user "${user}" at ${where}`);
        case "28000":
            return wrap("unauthorized", `the server at ${where} refused the connection: ${raw}`);
        case "3D000":
            return wrap("not-found", `database "${target.database}" does not exist on the server at ${where}; create it or fix the URL`);
        case "ECONNREFUSED":
            return wrap("unreachable", `cannot connect to ${where}: connection refused (is the server running?)`);
        case "ENOTFOUND":
        case "EAI_AGAIN":
            return wrap("unreachable", `cannot connect to ${where}: host "${target.config.host}" not found`);
        case "ETIMEDOUT":
            return wrap("unreachable", `cannot connect to ${where}: timed out`);
    }
    if (/client password must be a string|password.*(required|must be)/i.test(raw) && !target.config.password) {
        return wrap("unauthorized", `the server at ${where} asks for a password for user "${user}" but the URL has none; add it as postgres://${user}:PASSWORD@...`);
    }
    if (/does not support SSL/i.test(raw)) {
        return wrap("unreachable", `the server at ${where} does not accept TLS but sslmode=${target.sslMode} requires it; use sslmode=disable or prefer, or enable SSL on the server`);
    }
    if (/timeout/i.test(raw))
        return wrap("unreachable", `cannot connect to ${where}: ${raw}`);
    if (/certificate|self.signed|unable to verify/i.test(raw)) {
        return wrap("unreachable", `TLS certificate of ${where} rejected (sslmode=${target.sslMode}): ${raw}`);
    }
    return wrap("unreachable", `cannot connect to ${where}: ${raw}`);
}
/** Ends a client without throwing (the connection may already be gone). */
async function closeQuietly(client) {
    if (!client)
        return;
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
}

;// CONCATENATED MODULE: ./packages/core/src/dir/split.ts
// The statement splitter: a port of Atlas's scanner (sql/migrate/lex.go) with its options as switches,
// so a file splits into the statements Atlas would run. One forward pass over the text; keyword and
// whitespace checks are hand-written (no regex over the text), and searches that fail are remembered,
// so the work stays linear in the file size.


const POSTGRES_SPLIT = {
    beginEnd: true,
    beginAtomic: true,
    dollarQuotes: true,
    backslashEscapes: false,
    escapedStrings: true,
    hashComments: false,
};
const DEFAULT_DELIM = ";";
const EOS = -1;
/** A scan failure at an absolute offset; turned into "line:col: message" at the top. */
class ScanError extends Error {
    at;
    constructor(at, message) {
        super(message);
        this.at = at;
    }
}
/** Go's unicode.IsSpace (what strings.TrimSpace and the scanner's skipSpaces use). */
function isGoSpace(c) {
    return ((c >= 0x09 && c <= 0x0d) ||
        c === 0x20 ||
        c === 0x85 ||
        c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000);
}
/** RE2's `\s`: what Atlas's BEGIN/END patterns match. */
const isReSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
/** Go's strings.TrimSpace, reporting how much was cut from the front. */
function goTrim(s) {
    let a = 0;
    let b = s.length;
    while (a < b && isGoSpace(s.charCodeAt(a)))
        a++;
    while (b > a && isGoSpace(s.charCodeAt(b - 1)))
        b--;
    return { text: s.slice(a, b), lead: a };
}
// Dollar-quote tags as PostgreSQL's scanner defines them (Atlas: `^\$([A-Za-zÈ-ÿ_][\wÈ-ÿ]*)*\$`).
const isTagStart = (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || (c >= 0xc8 && c <= 0xff);
const isTagChar = (c) => isTagStart(c) || (c >= 0x30 && c <= 0x39);
/** A character that can end an identifier, so a following `E'` is not an escape-string prefix. */
const isIdentChar = (c) => isTagChar(c) || c === 0x24 || c > 0x7f;
/** BEGIN blocks deeper than this are refused rather than overflowing the stack. */
const MAX_BLOCK_DEPTH = 500;
/** Not a "this is no block" signal like ScanError: it stops the whole split. */
class TooDeep extends ScanError {
}
/** One scanner over a suffix of the text (Atlas nests scanners for BEGIN ... END bodies). */
class Scanner {
    sh;
    /** Absolute offset of Atlas's `s.input`: where the statement being scanned begins. */
    start;
    /** Offset into the input, just after the rune last read. */
    pos = 0;
    width = 0;
    delim;
    /** Length of a delimiter-directive line skipped at the start (Atlas does not count it as scanned). */
    uncounted = 0;
    text;
    n;
    constructor(sh, start, delim) {
        this.sh = sh;
        this.text = sh.text;
        this.n = sh.text.length;
        this.start = start;
        this.delim = delim;
        // `-- atlas:delimiter X` on the first line sets the delimiter; the line is not part of any statement.
        // Only a line starting with "-- " can hold it: checking first keeps nested scanners O(1) to start.
        const nl = this.text.startsWith("-- ", start) ? this.text.indexOf("\n", start) : -2;
        const d = nl === -2 ? null : delimiterDirective(this.text.slice(start, nl === -1 ? this.n : nl));
        if (d !== null) {
            this.setDelim(d, start);
            if (nl === -1)
                throw new ScanError(start, `no input found after delimiter ${JSON.stringify(d)}`);
            this.start = nl + 1;
            this.uncounted = nl + 1 - start;
        }
    }
    /** Absolute offset just after the last statement returned. */
    get offset() {
        return this.start;
    }
    get delimiter() {
        return this.delim;
    }
    setDelim(d, at) {
        if (d === "")
            throw new ScanError(at, "empty delimiter");
        this.delim = unescapeDelimiter(d);
    }
    at(i) {
        return i < this.n ? this.text.codePointAt(i) : EOS;
    }
    next() {
        const i = this.start + this.pos;
        if (i >= this.n)
            return EOS;
        const c = this.text.codePointAt(i);
        this.width = c > 0xffff ? 2 : 1;
        this.pos += this.width;
        return c;
    }
    pick() {
        return this.at(this.start + this.pos);
    }
    skipSpaces() {
        if (this.pos !== 0)
            return; // Atlas trims its input from the front, which is here only at pos 0.
        while (this.start < this.n) {
            const c = this.text.codePointAt(this.start);
            if (!isGoSpace(c))
                break;
            this.start += c > 0xffff ? 2 : 1;
        }
    }
    /** The end of the RE2-whitespace run at x (x itself when text[x] is not whitespace). */
    wsEnd(x) {
        const sh = this.sh;
        if (x >= sh.wsFrom && x <= sh.wsTo)
            return sh.wsTo;
        let e = x;
        while (e < this.n && isReSpace(this.text.charCodeAt(e)))
            e++;
        sh.wsFrom = x;
        sh.wsTo = e;
        return e;
    }
    wordAt(x, word) {
        if (x + word.length > this.n)
            return false;
        for (let k = 0; k < word.length; k++) {
            if ((this.text.charCodeAt(x + k) | 0x20) !== word.charCodeAt(k))
                return false;
        }
        return true;
    }
    /** Where `(?i)^\s*BEGIN\s+` (and `ATOMIC\s+` when atomic) matching at x ends, or -1. */
    beginMatch(x, atomic) {
        const c = this.text.charCodeAt(x);
        if ((c | 0x20) !== 0x62 && !isReSpace(c))
            return -1; // Fast path: neither "b" nor whitespace.
        let j = this.wsEnd(x);
        if (!this.wordAt(j, "begin"))
            return -1;
        j += 5;
        const k = this.wsEnd(j);
        if (k === j)
            return -1;
        if (!atomic)
            return k;
        if (!this.wordAt(k, "atomic"))
            return -1;
        const e = this.wsEnd(k + 6);
        return e === k + 6 ? -1 : e;
    }
    /** The next statement, or null at the end of the input. */
    stmt() {
        const opts = this.sh.opts;
        let depth = 0;
        let opening = 0;
        this.skipSpaces();
        for (;;) {
            const r = this.next();
            const here = this.start + this.pos - this.width; // offset of r
            if (r === EOS) {
                if (depth > 0)
                    throw new ScanError(opening, "unclosed '('");
                if (this.pos > 0)
                    return this.emit(this.n - this.start);
                return null;
            }
            if (r === 0x28) {
                if (depth === 0)
                    opening = here;
                depth++;
            }
            else if (r === 0x29) {
                if (depth === 0)
                    throw new ScanError(here, "unexpected ')'");
                depth--;
            }
            else if (r === 0x27 || r === 0x22 || r === 0x60) {
                this.skipQuote(r, here);
            }
            else if (this.pos === 1 && this.isDelimiterCommand()) {
                this.pos = "delimiter".length;
                this.delimiterCommand();
                this.skipSpaces();
            }
            else if (depth === 0 && this.text.startsWith(this.delim, here)) {
                this.pos = here + this.delim.length - this.start;
                return this.emit(this.pos);
            }
            else if (opts.dollarQuotes && r === 0x24 && this.dollarTagEnd(here) !== -1) {
                this.skipDollarQuote(here);
            }
            else if (r === 0x23 && opts.hashComments) {
                this.comment(1, "\n");
            }
            else if (r === 0x2d && this.pick() === 0x2d) {
                this.next();
                this.comment(2, "\n");
            }
            else if (r === 0x2f && this.pick() === 0x2a) {
                this.next();
                this.comment(2, "*/");
            }
            else if (this.delim === DEFAULT_DELIM && opts.beginAtomic && this.beginMatch(here, true) !== -1) {
                if (this.skipGroup(here, true))
                    return this.emit(this.pos);
            }
            else if (this.delim === DEFAULT_DELIM &&
                opts.beginEnd &&
                // BEGIN starts the statement, or follows at least one space (Atlas checks one rune back).
                ((this.pos === 1 && this.beginMatch(here, false) !== -1) ||
                    (this.pos > 1 && this.beginMatch(here - 1, false) !== -1))) {
                if (this.beginMatch(here, false) !== -1 && this.skipGroup(here, false))
                    return this.emit(this.pos);
            }
        }
    }
    /** Ends the statement after `length` input characters and moves the input past it. */
    emit(length) {
        const from = this.start;
        this.start += this.pos;
        this.pos = 0;
        return { from, to: from + length };
    }
    isDelimiterCommand() {
        const s = this.start;
        return this.n - s > 9 && this.text.slice(s, s + 9).toLowerCase() === "delimiter";
    }
    /** MySQL's `DELIMITER x` client command at the start of a statement (Atlas honours it everywhere). */
    delimiterCommand() {
        if (this.pick() !== 0x20)
            return;
        let r = this.pick();
        while (r !== EOS && r !== 0x0a)
            r = this.next();
        let d = goTrim(this.text.slice(this.start + 9, this.start + this.pos)).text;
        if (d.length >= 2 && d.startsWith("'") && d.endsWith("'"))
            d = d.slice(1, -1).replaceAll("''", "'");
        this.setDelim(d, this.start);
        this.emit(this.pos);
    }
    skipQuote(quote, at) {
        const opts = this.sh.opts;
        // E'...' (PostgreSQL escape strings): the E must start a token, as in PostgreSQL's lexer.
        const prefixed = quote === 0x27 &&
            at > 0 &&
            (this.text.charCodeAt(at - 1) | 0x20) === 0x65 &&
            !(at > 1 && isIdentChar(this.text.charCodeAt(at - 2)));
        const escaped = opts.backslashEscapes || (opts.escapedStrings && prefixed);
        for (;;) {
            const r = this.next();
            if (r === EOS) {
                const q = String.fromCharCode(quote);
                throw new ScanError(at, `unclosed quote '${q === "'" ? "\\'" : q}'`);
            }
            if (r === 0x5c && escaped)
                this.next();
            else if (r === quote)
                return;
        }
    }
    /** Where the opening dollar-quote tag at x ends (after its second `$`), or -1. */
    dollarTagEnd(x) {
        let j = x + 1;
        if (j < this.n && isTagStart(this.text.charCodeAt(j))) {
            j++;
            while (j < this.n && isTagChar(this.text.charCodeAt(j)))
                j++;
        }
        return j < this.n && this.text.charCodeAt(j) === 0x24 ? j + 1 : -1;
    }
    skipDollarQuote(x) {
        const end = this.dollarTagEnd(x);
        const tag = this.text.slice(x, end);
        const close = this.find(tag, end);
        // Unclosed: Atlas lets the quote run to the end of the input.
        this.pos = (close === -1 ? this.n : close + tag.length) - this.start;
    }
    /** The first `term` at or after `from`, remembering misses so later searches cost nothing. */
    find(term, from) {
        const absent = this.sh.absentFrom.get(term);
        if (absent !== undefined && from >= absent)
            return -1;
        const i = this.text.indexOf(term, from);
        if (i === -1)
            this.sh.absentFrom.set(term, Math.min(from, absent ?? from));
        return i;
    }
    /** A comment: inside a statement it stays in the text; before one it is dropped. */
    comment(leftLength, right) {
        const i = this.find(right, this.start + this.pos);
        if (i === -1)
            return; // Not a comment (Atlas scans on as statement text).
        const leading = this.pos === leftLength;
        this.pos = i + right.length - this.start;
        if (!leading)
            return;
        this.start += this.pos;
        this.pos = 0;
        this.skipSpaces();
    }
    /**
     * BEGIN ... END or BEGIN ATOMIC ... END at x: a nested scanner reads statements until END; the
     * block then ends the statement. Like Atlas, a match that does not pan out still skips the keywords.
     */
    skipGroup(x, atomic) {
        const bodyStart = this.beginMatch(x, atomic);
        this.pos = bodyStart - this.start;
        const end = this.groupEnd(bodyStart, atomic, x);
        if (end === -1)
            return false;
        this.pos = end - this.start;
        return true;
    }
    groupEnd(from, atomic, keyword) {
        const sh = this.sh;
        const chain = sh.chains[atomic ? 1 : 0];
        const visited = [];
        let end = -1;
        let uncounted = 0;
        if (sh.depth >= MAX_BLOCK_DEPTH) {
            throw new TooDeep(keyword, `BEGIN blocks nest more than ${MAX_BLOCK_DEPTH} deep; split the file`);
        }
        sh.depth++;
        try {
            const body = new Scanner(sh, from, DEFAULT_DELIM);
            uncounted = body.uncounted;
            for (;;) {
                if (body.delimiter === DEFAULT_DELIM) {
                    const known = chain.get(body.offset);
                    if (known !== undefined) {
                        end = known;
                        break;
                    }
                    visited.push(body.offset);
                }
                const s = body.stmt();
                if (s === null)
                    break; // Atlas: unexpected eof when scanning the body.
                const { text } = body.textOf(s);
                if (!/^end/i.test(text))
                    continue;
                if (atomic) {
                    end = body.offset;
                    break;
                }
                // BEGIN ... END closes only on a bare `END` (optionally followed by the delimiter).
                let m = 3;
                while (m < text.length && isReSpace(text.charCodeAt(m)))
                    m++;
                if (m === text.length || text.slice(m) === DEFAULT_DELIM) {
                    end = body.offset;
                    break;
                }
            }
        }
        catch (err) {
            if (!(err instanceof ScanError) || err instanceof TooDeep)
                throw err;
            end = -1; // Atlas: a body that does not scan is no block.
        }
        finally {
            sh.depth--;
        }
        for (const at of visited)
            chain.set(at, end);
        // Atlas advances by what the body scanner counted, which leaves out a directive line it skipped.
        return end === -1 ? -1 : end - uncounted;
    }
    /** The statement text as Atlas emits it: custom delimiter stripped, then trimmed. */
    textOf(s) {
        let raw = this.text.slice(s.from, s.to);
        if (this.delim !== DEFAULT_DELIM && raw.endsWith(this.delim))
            raw = raw.slice(0, -this.delim.length);
        return goTrim(raw);
    }
}
/** Line and column (1-based) of offsets, asked for in increasing order. */
class Lines {
    text;
    at = 0;
    line = 1;
    lineStart = 0;
    constructor(text) {
        this.text = text;
    }
    of(offset) {
        if (offset < this.at) {
            this.at = 0;
            this.line = 1;
            this.lineStart = 0;
        }
        for (;;) {
            const nl = this.text.indexOf("\n", this.at);
            if (nl === -1 || nl >= offset)
                break;
            this.line++;
            this.lineStart = nl + 1;
            this.at = nl + 1;
        }
        this.at = offset;
        return { line: this.line, col: offset - this.lineStart + 1 };
    }
}
/** Splits SQL text into statements; errors (unclosed quote, ...) carry line:col. */
function splitStatements(src, options = POSTGRES_SPLIT) {
    const sh = {
        text: src,
        opts: options,
        wsFrom: -1,
        wsTo: -1,
        absentFrom: new Map(),
        chains: [new Map(), new Map()],
        depth: 0,
    };
    const lines = new Lines(src);
    const out = [];
    try {
        const sc = new Scanner(sh, 0, options.delimiter ?? DEFAULT_DELIM);
        for (;;) {
            const s = sc.stmt();
            if (s === null)
                return out;
            const { text, lead } = sc.textOf(s);
            out.push({ text, ...lines.of(s.from + lead) });
        }
    }
    catch (err) {
        if (!(err instanceof ScanError))
            throw err;
        const { line, col } = new Lines(src).of(err.at);
        throw new src_errors/* RelayError */.cx("migration", `${line}:${col}: ${err.message}`);
    }
}
const split_decoder = new TextDecoder();
/** The statements of a migration file as apply runs them: PostgreSQL options + the file's delimiter directive. */
function fileStatements(file) {
    try {
        return splitStatements(split_decoder.decode(file.content), POSTGRES_SPLIT);
    }
    catch (err) {
        if (err instanceof src_errors/* RelayError */.cx)
            throw new src_errors/* RelayError */.cx(err.kind, `${file.name}:${err.message}`);
        throw err;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/apply/batch.ts
// One simple-query message holding many statements, with the commands that completed counted, so a
// failure can be pinned to the statement that caused it (the server stops at the first error).

/**
 * pg's own Query (so it may share a pipelined connection) that also records the tag of every command
 * that completed.
 */
class CountingQuery extends esm.Query {
    completed = [];
    handleCommandComplete(msg, connection) {
        this.completed.push(msg.text ?? "");
        esm.Query.prototype.handleCommandComplete.call(this, msg, connection);
    }
}
/** Sends `text` as one Query message; resolves (never rejects) once the server is done with it. */
function runBatch(client, text) {
    return new Promise((resolve) => {
        const query = new CountingQuery(text, (error) => {
            resolve({ completed: query.completed, ...(error ? { error } : {}) });
        });
        client.query(query);
    });
}
/**
 * True when `sql` holds no statement, only comments, whitespace and semicolons: the server sends no
 * CommandComplete for such a piece of a multi-statement message.
 */
function isBlankSql(sql) {
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === ";")
            i++;
        else if (sql.startsWith("--", i)) {
            const nl = sql.indexOf("\n", i);
            i = nl === -1 ? sql.length : nl + 1;
        }
        else if (sql.startsWith("/*", i)) {
            let depth = 1; // PostgreSQL block comments nest
            i += 2;
            while (i < sql.length && depth > 0) {
                const step = sql.startsWith("/*", i) ? 1 : sql.startsWith("*/", i) ? -1 : 0;
                depth += step;
                i += step === 0 ? 1 : 2;
            }
        }
        else
            return false;
    }
    return true;
}
/**
 * Ends a statement for concatenation. The separator goes on its own line, so a trailing `--` comment
 * cannot swallow it; an extra `;` is an empty statement, which the server skips silently.
 */
const terminated = (sql) => `${sql}\n;`;

;// CONCATENATED MODULE: ./packages/core/src/apply/hashes.ts
// The hashes Atlas stores per revision: the file's atlas.sum hash and cumulative statement hashes.

/**
 * One running SHA-256 over the statement texts; entry i is base64 of the digest after statement i,
 * so each hash covers every earlier statement (Atlas's partial_hashes, stored with an `h1:` prefix).
 */
function statementHashes(statements) {
    const hash = (0,external_node_crypto_.createHash)("sha256");
    return statements.map((text) => {
        hash.update(text, "utf8");
        return hash.copy().digest("base64");
    });
}
/** The `h1:` hash atlas.sum lists for a file (without the prefix); "" when it has no line (sum ignore). */
function sumHashes(sum) {
    const out = new Map();
    if (!sum)
        return out;
    const lines = Buffer.from(sum).toString("utf8").split("\n").slice(1);
    for (const line of lines) {
        const at = line.lastIndexOf(" h1:");
        if (at > 0)
            out.set(line.slice(0, at), line.slice(at + 4));
    }
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/types.ts
const REVISION_TYPE = { baseline: 1, execute: 2, resolved: 4 };

;// CONCATENATED MODULE: ./packages/core/src/apply/execute.ts








const TX_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|PREPARE\s+TRANSACTION)\b/i;
/** Directives, tx mode (with Atlas's conflict rule) and statements of each file, before anything runs. */
function prepareFiles(files, globalMode, sums) {
    return files.map((file) => {
        const directives = fileDirectives(file.content, file.name);
        let mode = globalMode;
        const own = directives.txmode;
        if (own && own !== globalMode) {
            if (globalMode === "all") {
                throw new src_errors/* RelayError */.cx("migration", `cannot set txmode directive to "${own}" in "${file.name}" when txmode "all" is set globally`);
            }
            mode = own;
        }
        let statements;
        try {
            statements = fileStatements(file).map((s) => ({ text: s.text, line: s.line }));
        }
        catch (err) {
            throw new src_errors/* RelayError */.cx("migration", `${file.name}: cannot split statements: ${(0,src_errors/* messageOf */.bD)(err)}`, {
                cause: err,
            });
        }
        return {
            file,
            mode,
            statements,
            hashes: statementHashes(statements.map((s) => s.text)),
            sumHash: sums.get(file.name) ?? "",
            batchable: directives.delimiter === undefined,
            endsTx: statements.some((st) => TX_CONTROL.test(st.text)),
        };
    });
}
const H1 = "h1:";
const stripH1 = (h) => (h.startsWith(H1) ? h.slice(H1.length) : h);
/** Server-side session failures: the connection is gone, whatever statement was running. */
const CONNECTION_LOST = new Set(["57P01", "57P02", "57P03", "08000", "08003", "08006"]);
function isConnectionError(err) {
    const code = err?.code;
    return code === undefined ? true : CONNECTION_LOST.has(code);
}
/** Files in flight at once on the connection (tx-mode file/all); see runFiles. */
const PIPELINE_DEPTH = 32;
/**
 * Runs the files in order; stops at the first failure. tx-mode all wraps every file in one transaction.
 *
 * Transactional files are pipelined: up to PIPELINE_DEPTH files are on the wire before the first
 * answer is read. That is safe because a failing file leaves the session in an aborted transaction
 * block (its message began with BEGIN, and deferred constraints are checked before COMMIT), so every
 * file queued behind it fails at its own BEGIN with 25P02 and changes nothing. Files that end the
 * transaction themselves, and none-mode files, wait for everything before them.
 */
async function runFiles(files, ctx) {
    const applied = [];
    const all = files.length > 0 && files.every((f) => f.mode === "all");
    const inFlight = [];
    let failed;
    let lastEnd = performance.now();
    // Takes the oldest file's outcome; after a failure, files behind it report only if they really ran.
    const settleOldest = async () => {
        const done = await inFlight.shift();
        const ms = done.end - Math.max(done.start, lastEnd);
        lastEnd = done.end;
        done.file.ms = Math.round(ms * 10) / 10;
        if (failed && done.error)
            return;
        applied.push(done.file);
        ctx.onFile?.(done.file);
        if (done.error)
            failed = done.error;
    };
    const drain = async () => {
        while (inFlight.length)
            await settleOldest();
    };
    try {
        // Resume checks first: a changed history must stop the run before anything is sent.
        const skips = new Map(files.map((pf) => [pf, resumePoint(pf, ctx.revisions.get(pf.file.version))]));
        if (all)
            await ctx.client.query("BEGIN");
        for (const pf of files) {
            const lost = ctx.lock?.lost();
            if (lost) {
                await drain();
                failed ??= new src_errors/* RelayError */.cx("unreachable", `lost the apply lock (its connection failed: ${scrub(lost.message, ctx.secrets)}); stopped before ${pf.file.name}`);
            }
            if (failed)
                break;
            const pipelined = pf.mode !== "none" && pf.batchable && !pf.endsTx;
            if (!pipelined)
                await drain();
            if (failed)
                break;
            inFlight.push(runFile(pf, ctx, skips.get(pf) ?? 0));
            if (!pipelined || inFlight.length >= PIPELINE_DEPTH)
                await settleOldest();
        }
        await drain();
        if (all && !failed) {
            const { command } = await ctx.client.query("COMMIT");
            if (command !== "COMMIT")
                throw new src_errors/* RelayError */.cx("migration", "the transaction of tx-mode all did not commit");
        }
    }
    catch (err) {
        await drain().catch(() => undefined);
        failed ??= asRelayError(err, ctx);
    }
    if (failed) {
        // Ends the failed file's aborted transaction block (tx-mode all: the run's), after everything queued.
        await ctx.client.query("ROLLBACK").catch(() => undefined);
        if (all)
            for (const f of applied)
                if (!f.error)
                    f.rolledBack = true;
    }
    return failed ? { applied, error: failed } : { applied };
}
function asRelayError(err, ctx) {
    if (err instanceof src_errors/* RelayError */.cx)
        return err;
    const message = scrub((0,src_errors/* messageOf */.bD)(err), ctx.secrets);
    if (isConnectionError(err))
        return new src_errors/* RelayError */.cx("unreachable", `connection lost: ${message}`, { cause: err });
    return new src_errors/* RelayError */.cx("migration", message, { cause: err });
}
/** Verifies the statements an earlier run applied are unchanged; returns how many to skip. */
function resumePoint(pf, existing) {
    if (!existing || existing.applied === 0)
        return 0;
    for (let i = 0; i < existing.applied; i++) {
        const stored = existing.partialHashes[i];
        if (i >= pf.hashes.length || stored === undefined || pf.hashes[i] !== stripH1(stored)) {
            throw new src_errors/* RelayError */.cx("conflict", `history changed: statement ${i + 1} from file "${pf.file.name}" changed`);
        }
    }
    return existing.applied;
}
async function runFile(pf, ctx, skip) {
    const start = performance.now();
    const existing = ctx.revisions.get(pf.file.version);
    const result = {
        name: pf.file.name,
        version: pf.file.version,
        description: pf.file.description,
        txMode: pf.mode,
        ms: 0,
        statements: 0,
        total: pf.statements.length,
        skipped: skip,
    };
    const outcome = pf.mode === "none" ? await runNone(pf, ctx, existing, skip) : await runInTx(pf, ctx, existing, skip);
    result.statements = outcome.executed;
    if (outcome.failed)
        result.error = outcome.failed;
    return { file: result, error: outcome.error, start, end: performance.now() };
}
function revisionFor(pf, existing, applied) {
    return {
        version: pf.file.version,
        description: existing?.description ?? pf.file.description,
        type: existing?.type ?? REVISION_TYPE.execute,
        applied,
        total: pf.statements.length,
        error: "",
        errorStmt: "",
        hash: pf.sumHash,
        partialHashes: pf.hashes.slice(0, applied).map((h) => H1 + h),
    };
}
/**
 * What went wrong in statement `index`. `offset` is where the statement starts in the message the
 * server saw, so a syntax error's position becomes a line of the file.
 */
function statementError(pf, index, err, secrets, offset = 0) {
    const e = err;
    const stmt = pf.statements[index];
    const local = e?.position ? Number(e.position) - 1 - offset : -1;
    const chars = Array.from(stmt.text);
    const at = local >= 0 && local <= chars.length ? stmt.line + countLines(chars.slice(0, local).join("")) : undefined;
    return {
        stmt: stmt.text,
        text: scrub(e?.message ?? String(err), secrets),
        index: index + 1,
        line: stmt.line,
        ...(at !== undefined && at !== stmt.line ? { at } : {}),
        ...(e?.code ? { code: e.code } : {}),
        ...(e?.detail ? { detail: scrub(e.detail, secrets) } : {}),
        ...(e?.hint ? { hint: scrub(e.hint, secrets) } : {}),
    };
}
const countLines = (text) => text.split("\n").length - 1;
/** The server counts positions in characters; JS strings count UTF-16 units. */
function codePoints(text) {
    let n = 0;
    for (const _ of text)
        n++;
    return n;
}
const excerpt = (sql) => {
    const one = sql.trim().replace(/\s+/g, " ");
    return one.length > 200 ? `${one.slice(0, 200)}...` : one;
};
function failure(pf, failed, after, lost) {
    const head = lost
        ? `connection lost while applying ${pf.file.name} at statement ${failed.index} (line ${failed.line}): ${failed.text}`
        : `${pf.file.name}: statement ${failed.index} (line ${failed.line}) failed${failed.at ? ` at line ${failed.at}` : ""}: ${failed.text}${failed.code ? ` [${failed.code}]` : ""}`;
    const more = [failed.detail && `\n  detail: ${failed.detail}`, failed.hint && `\n  hint: ${failed.hint}`];
    return new src_errors/* RelayError */.cx(lost ? "unreachable" : "migration", `${head}; ${after}${more.filter(Boolean).join("")}\n  statement: ${excerpt(failed.stmt)}`);
}
/** tx-mode file (own BEGIN/COMMIT) or all (inside the run's transaction). */
async function runInTx(pf, ctx, existing, skip) {
    const own = pf.mode === "file";
    const rolledBack = own
        ? "the file's transaction was rolled back; nothing of it is applied"
        : "the run's transaction was rolled back";
    const head = [];
    if (own)
        head.push(["BEGIN", "BEGIN"]);
    if (ctx.schema && !own)
        head.push(["starting the file clock", FILE_CLOCK_SQL]);
    const upsert = ctx.schema
        ? inlineQuery(upsertRevision(ctx.schema, {
            ...revisionFor(pf, existing, pf.statements.length),
            clock: own ? "tx" : "marked",
        }))
        : undefined;
    // Deferred constraints fail here, inside the transaction, rather than at COMMIT (see runFiles).
    const tail = [
        ...(own
            ? [["checking deferred constraints", "SET CONSTRAINTS ALL IMMEDIATE"]]
            : []),
        ...(upsert ? [["recording the revision", upsert]] : []),
        ...(own ? [["COMMIT", "COMMIT"]] : []),
    ];
    // Every piece of the file's message, and whom an error in it belongs to: a statement index or a step.
    const pieces = [
        ...head.map(([step, sql]) => ({ sql, owner: step, blank: false })),
        ...pf.statements
            .slice(skip)
            .map((st, i) => ({ sql: st.text, owner: skip + i, blank: pf.batchable && isBlankSql(st.text) })),
        ...tail.map(([step, sql]) => ({ sql, owner: step, blank: false })),
    ];
    const outcome = pf.batchable
        ? await runAsOneMessage(ctx.client, pieces)
        : await runOneByOne(ctx.client, pieces);
    const { completed, error, failedAt } = outcome;
    const executed = completed.filter((p) => typeof p.owner === "number").length;
    if (!error) {
        const last = completed[completed.length - 1];
        if (own && last?.tag !== "COMMIT") {
            const why = `the server answered ${last?.tag ?? "nothing"}`;
            return {
                executed: 0,
                error: new src_errors/* RelayError */.cx("migration", `${pf.file.name}: COMMIT failed (${why}); ${rolledBack}`),
            };
        }
        return { executed };
    }
    // No ROLLBACK here: files queued behind this one must still meet the aborted block (runFiles ends it).
    const lost = isConnectionError(error);
    const owner = failedAt?.owner;
    if (typeof owner === "number") {
        const failed = statementError(pf, owner, error, ctx.secrets, failedAt?.offset ?? 0);
        return { executed, failed, error: failure(pf, failed, rolledBack, lost) };
    }
    const step = owner ?? "the file";
    const message = `${pf.file.name}: ${step} failed: ${scrub((0,src_errors/* messageOf */.bD)(error), ctx.secrets)}; ${rolledBack}`;
    return {
        executed: 0,
        error: new src_errors/* RelayError */.cx(lost ? "unreachable" : "migration", message, { cause: error }),
    };
}
/**
 * All pieces in one Query message. The server parses the whole message first, so a syntax error
 * stops it before anything runs: its position says which piece. A run-time error comes after the
 * pieces that completed, counted by their CommandComplete.
 */
async function runAsOneMessage(client, pieces) {
    let at = 0;
    const spans = [];
    const texts = pieces.map((p) => {
        p.offset = at;
        const text = terminated(p.sql);
        const length = codePoints(text);
        spans.push([at, at + length]);
        at += length + 1;
        return text;
    });
    const { completed: tags, error } = await runBatch(client, texts.join("\n"));
    const counted = pieces.filter((p) => !p.blank);
    const completed = tags.map((tag, i) => ({ ...counted[i], tag }));
    if (!error)
        return { completed };
    const position = Number(error.position ?? 0) - 1;
    const hit = position >= 0 ? spans.findIndex(([from, to]) => position >= from && position < to) : -1;
    const byPosition = hit === -1 ? undefined : pieces[hit];
    return { completed, error, failedAt: byPosition ?? counted[tags.length] };
}
/** One Query message per piece (files with a custom delimiter: a piece may hold several statements). */
async function runOneByOne(client, pieces) {
    const completed = [];
    for (const piece of pieces) {
        const r = await runBatch(client, piece.sql);
        if (r.error)
            return { completed, error: r.error, failedAt: { ...piece, offset: 0 } };
        completed.push({ ...piece, tag: r.completed[r.completed.length - 1] ?? "" });
    }
    return { completed };
}
/** tx-mode none: statement by statement, each followed by the revision write that records it. */
async function runNone(pf, ctx, existing, skip) {
    const { client, schema } = ctx;
    const executedAt = new Date();
    const t0 = performance.now();
    const write = async (applied, error) => {
        if (!schema)
            return;
        const w = {
            ...revisionFor(pf, existing, applied),
            ...(error ? { error: error.text, errorStmt: error.stmt } : {}),
            clock: { executedAt, executionTimeNs: BigInt(Math.round((performance.now() - t0) * 1e6)) },
        };
        await client.query(upsertRevision(schema, w));
    };
    let applied = skip;
    let unrecorded = 0;
    try {
        await write(applied); // marks the file as started, as Atlas does
        for (; applied < pf.statements.length; applied++) {
            try {
                await client.query(pf.statements[applied].text);
            }
            catch (err) {
                const failed = statementError(pf, applied, err, ctx.secrets);
                const lost = isConnectionError(err);
                if (!lost)
                    await write(applied, failed).catch(() => undefined);
                const kept = applied > 0 ? `statements 1-${applied} stay applied and recorded; ` : "";
                const after = `${kept}the next apply resumes at statement ${applied + 1} (fix it first if it is wrong)`;
                return { executed: applied - skip, failed, error: failure(pf, failed, after, lost) };
            }
            unrecorded = applied + 1;
            await write(applied + 1);
            unrecorded = 0;
        }
    }
    catch (err) {
        const e = asRelayError(err, ctx);
        const what = unrecorded
            ? `recording statement ${unrecorded} failed: ${e.message}; it ran but is not recorded, so the next apply runs it again`
            : `recording the file's start failed: ${e.message}`;
        const message = `${pf.file.name}: ${what}`;
        return { executed: applied - skip, error: new src_errors/* RelayError */.cx(e.kind, message, { cause: err }) };
    }
    return { executed: applied - skip };
}

;// CONCATENATED MODULE: ./packages/core/src/apply/lock.ts

/** 32-bit FNV-1 of `atlas_migrate_execute`, the key Atlas locks, so Atlas and migrate-relay exclude each other. */
const APPLY_LOCK_NAME = "atlas_migrate_execute";
const APPLY_LOCK_KEY = fnv1_32(APPLY_LOCK_NAME);
function fnv1_32(text) {
    let h = 0x811c9dc5;
    for (const byte of Buffer.from(text, "utf8")) {
        h = Math.imul(h, 0x01000193) >>> 0;
        h = (h ^ byte) >>> 0;
    }
    return h;
}
/**
 * Polls pg_try_advisory_lock with backoff (50 ms doubling to 1 s) until `timeoutMs`; then fails with
 * "lock is held by another apply". The caller owns `client` and ends it after release.
 */
async function acquireApplyLock(client, timeoutMs, display) {
    const deadline = Date.now() + timeoutMs;
    let wait = 50;
    for (;;) {
        const { rows } = await client.query("SELECT pg_try_advisory_lock($1) AS ok", [
            APPLY_LOCK_KEY,
        ]);
        if (rows[0]?.ok)
            break;
        const left = deadline - Date.now();
        if (left <= 0) {
            throw new src_errors/* RelayError */.cx("conflict", `lock is held by another apply: waited ${(timeoutMs / 1000).toFixed(1)} s for advisory lock ${APPLY_LOCK_KEY} (${APPLY_LOCK_NAME}) on ${display}; raise lock-timeout or retry when it finishes`);
        }
        await new Promise((r) => setTimeout(r, Math.min(wait, left)));
        wait = Math.min(wait * 2, 1000);
    }
    let broken;
    const onError = (err) => {
        broken = err;
    };
    client.on("error", onError);
    client.on("end", () => {
        broken ??= new Error("the lock connection closed");
    });
    return {
        lost: () => broken,
        async release() {
            client.off("error", onError);
            if (broken)
                return; // the server already dropped a dead session's locks
            await client.query("SELECT pg_advisory_unlock($1)", [APPLY_LOCK_KEY]).catch(() => undefined);
        },
    };
}

;// CONCATENATED MODULE: ./packages/core/src/apply/plan.ts
// Which files are pending: Atlas's Executor.Pending plus amount / to-version, as a pure function.



const lastIndex = (list, pred) => {
    for (let i = list.length - 1; i >= 0; i--)
        if (pred(list[i]))
            return i;
    return -1;
};
const plan_decoder = new TextDecoder();
/** A checkpoint file (`atlas migrate checkpoint`): its header carries `atlas:checkpoint [tag]`. */
function isCheckpoint(file) {
    const first = file.content[0];
    if (first !== 0x23 && first !== 0x2d)
        return false; // no header: neither `#` nor `--` first
    return headerComments(plan_decoder.decode(file.content)).some((c) => directiveOf(c)?.name === "checkpoint");
}
/** Checks options Atlas refuses before touching anything. */
function checkPlanOptions(opts) {
    if (opts.baseline && opts.allowDirty) {
        throw new src_errors/* RelayError */.cx("input", "baseline and allow-dirty are mutually exclusive; pass only one");
    }
    if (opts.amount !== undefined && (!Number.isInteger(opts.amount) || opts.amount < 1)) {
        throw new src_errors/* RelayError */.cx("input", `cannot apply '${opts.amount}' migration files; amount must be a whole number >= 1`);
    }
}
function planPending(input) {
    checkPlanOptions(input);
    const { revisions } = input;
    const all = input.files;
    // Atlas's Pending works on the directory without its checkpoint files, except where noted.
    const files = all.filter((f) => !isCheckpoint(f));
    const order = input.execOrder ?? "linear";
    let pending;
    let baseline;
    let partial;
    if (revisions.length === 0) {
        if (input.notClean !== null && !input.allowDirty && !input.baseline) {
            throw new src_errors/* RelayError */.cx("conflict", `connected database is not clean: ${input.notClean}. baseline version or allow-dirty is required`);
        }
        if (input.baseline) {
            const at = lastIndex(files, (f) => f.version === input.baseline);
            if (at === -1)
                throw new src_errors/* RelayError */.cx("input", `baseline version "${input.baseline}" not found in the directory`);
            baseline = files[at];
            pending = files.slice(at + 1);
        }
        else {
            // A first run starts at the last checkpoint (included), when there is one.
            const ck = lastIndex(all, isCheckpoint);
            pending = ck === -1 ? [...all] : all.slice(ck);
        }
    }
    else {
        const last = revisions[revisions.length - 1];
        const partially = last.applied !== last.total;
        if (partially)
            partial = last;
        const ck = partially ? all.find((f) => f.version === last.version && isCheckpoint(f)) : undefined;
        if (ck) {
            // A checkpoint stopped part-way: it, then everything after it.
            pending = [ck, ...all.slice(all.indexOf(ck) + 1).filter((f) => !isCheckpoint(f))];
        }
        else if (files.length === 0) {
            pending = [];
        }
        else {
            pending = pendingAfter(files, revisions, last, partially, order);
        }
    }
    let run = pending;
    if (input.toVersion !== undefined) {
        const to = lastIndex(pending, (f) => f.version === input.toVersion);
        if (to !== -1)
            run = pending.slice(0, to + 1);
        else if (all.some((f) => f.version === input.toVersion))
            run = []; // already applied (or skipped)
        else
            throw new src_errors/* RelayError */.cx("input", `migration with version "${input.toVersion}" not found in the directory`);
    }
    if (input.amount !== undefined)
        run = run.slice(0, input.amount);
    return { pending, run, baseline, partial };
}
/** Atlas's Pending once revisions exist: after the last one (or at it, when partial), per exec-order. */
function pendingAfter(files, revisions, last, partially, order) {
    const at = lastIndex(files, (f) => partially ? f.version === last.version : compareBytes(f.version, last.version) <= 0);
    if (at === -1) {
        if (partially) {
            const name = last.description ? `${last.version}_${last.description}.sql` : `${last.version}.sql`;
            throw new src_errors/* RelayError */.cx("conflict", `missing migration: revision "${name}" is partially applied but its file is not in the directory`);
        }
        return [...files];
    }
    const next = partially ? at : at + 1;
    const pending = files.slice(next);
    // Files between the first revision and the last one that never ran were added out of order.
    const first = files.findIndex((f) => compareBytes(f.version, revisions[0].version) >= 0);
    if (first === -1 || first >= next || order === "linear-skip")
        return pending;
    const applied = new Set(revisions.map((r) => r.version));
    const skipped = files.slice(first, next).filter((f) => !applied.has(f.version));
    if (skipped.length === 0)
        return pending;
    if (order === "non-linear")
        return [...skipped, ...pending];
    const names = skipped.map((f) => f.name).join(", ");
    throw new src_errors/* RelayError */.cx("conflict", `migration ${skipped.length === 1 ? `file ${names} was` : `files ${names} were`} added out of order; ` +
        "apply with exec-order non-linear to run it, or linear-skip to skip it. See: https://atlasgo.io/versioned/apply#non-linear-error");
}

;// CONCATENATED MODULE: ./packages/core/src/apply/apply.ts











const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const TX_MODES = ["file", "all", "none"];
const EXEC_ORDERS = ["linear", "linear-skip", "non-linear"];
/** Throws config/input errors for options that make no sense, before anything is read or opened. */
function checkApplyOptions(options) {
    if (!options.url)
        throw (0,src_errors/* configError */.Fj)("no database URL: pass --url or set `url` in the env block");
    if (options.txMode && !TX_MODES.includes(options.txMode)) {
        throw new src_errors/* RelayError */.cx("input", `unknown tx-mode "${options.txMode}"; use file, all or none`);
    }
    if (options.execOrder && !EXEC_ORDERS.includes(options.execOrder)) {
        throw new src_errors/* RelayError */.cx("input", `unknown exec-order "${options.execOrder}"; use linear, linear-skip or non-linear`);
    }
    if (options.lockTimeoutMs !== undefined && !(options.lockTimeoutMs >= 0)) {
        throw new src_errors/* RelayError */.cx("input", `lock-timeout must be a duration >= 0, got ${options.lockTimeoutMs} ms`);
    }
    checkPlanOptions(options);
    return parsePostgresUrl(options.url);
}
/**
 * Applies `dir` to the database at `options.url`. Bad options throw (config/input); everything that
 * happens on the way (bad atlas.sum, unreachable, lock timeout, a failing statement) is returned in
 * `result.error`, with the files that ran before it in `result.applied`.
 */
async function applyDir(dir, options) {
    const target = checkApplyOptions(options);
    const started = performance.now();
    const result = {
        url: target.display,
        current: "",
        target: "",
        pending: [],
        applied: [],
        dryRun: options.dryRun === true,
        ms: 0,
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.trail !== undefined ? { trail: options.trail } : {}),
    };
    let work;
    let lockClient;
    let lock;
    try {
        validateDir(dir); // a broken directory is refused before any connection
        const dryRun = options.dryRun === true;
        // Two connections at once: statements on one, the advisory lock on its own.
        const [w, l] = await Promise.allSettled([
            connect(target, { pipeline: true }),
            dryRun ? Promise.resolve(undefined) : connect(target),
        ]);
        if (w.status === "fulfilled")
            work = w.value;
        if (l.status === "fulfilled")
            lockClient = l.value;
        if (w.status === "rejected")
            throw w.reason;
        if (l.status === "rejected")
            throw l.reason;
        if (lockClient)
            lock = await acquireApplyLock(lockClient, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, target.display);
        const client = work;
        const schema = revisionsSchemaFor(options.revisionsSchema, target.schema);
        const state = await tableState(client, schema);
        if (!state.tableExists && target.schema && !options.revisionsSchema)
            await checkSchemaClarity(client, target);
        if (!dryRun)
            await ensureRevisionsTable(client, schema, state);
        const revisions = await readRevisions(client, schema, dryRun ? state.tableExists : true);
        const notClean = revisions.length === 0 ? await notCleanReason(client, target.schema, schema) : null;
        const plan = planPending({ files: dir.files, revisions, notClean, ...options });
        result.current = revisions[revisions.length - 1]?.version ?? plan.baseline?.version ?? "";
        result.pending = plan.run.map((f) => f.name);
        result.target = plan.run[plan.run.length - 1]?.version ?? result.current;
        const prepared = prepareFiles(plan.run, options.txMode ?? "file", sumHashes(dir.sum));
        if (dryRun)
            return result;
        if (plan.baseline) {
            await client.query(upsertRevision(schema, {
                version: plan.baseline.version,
                description: plan.baseline.description,
                type: REVISION_TYPE.baseline,
                applied: 0,
                total: 0,
                error: "",
                errorStmt: "",
                hash: "",
                partialHashes: [],
                clock: { executedAt: new Date(), executionTimeNs: 0n },
            }));
        }
        const outcome = await runFiles(prepared, {
            client,
            schema,
            revisions: new Map(revisions.map((r) => [r.version, r])),
            lock,
            secrets: target.secrets,
            onFile: options.onFile,
        });
        result.applied = outcome.applied;
        if (outcome.error)
            result.error = { kind: outcome.error.kind, message: outcome.error.message };
    }
    catch (err) {
        result.error = { kind: kindOf(err), message: scrub((0,src_errors/* messageOf */.bD)(err), target.secrets) };
    }
    finally {
        await lock?.release();
        await Promise.all([closeQuietly(lockClient), closeQuietly(work)]);
        result.ms = Math.round(performance.now() - started);
    }
    return result;
}
/** The kind of an error met outside the files (bookkeeping queries, connections). */
function kindOf(err) {
    if (err instanceof src_errors/* RelayError */.cx)
        return err.kind;
    const code = err.code;
    if (code === "42501")
        return "unauthorized"; // e.g. no CREATE privilege for the revisions schema
    if (!code || code.startsWith("08") || code.startsWith("57P"))
        return "unreachable";
    return "migration";
}
/**
 * Atlas's guard for schema-bound URLs: no revisions table in the connected schema but one in the old
 * default schema means we cannot tell which history is meant.
 */
async function checkSchemaClarity(client, target) {
    const old = await tableState(client, DEFAULT_REVISIONS_SCHEMA);
    if (!old.tableExists)
        return;
    throw new src_errors/* RelayError */.cx("conflict", `ambiguous revision table: none in the connected schema "${target.schema}" but one in "${DEFAULT_REVISIONS_SCHEMA}"; ` +
        `pass revisions-schema ${DEFAULT_REVISIONS_SCHEMA} to keep using it, or revisions-schema ${target.schema} to start a new one (${redactUrl(target.display)})`);
}

;// CONCATENATED MODULE: ./packages/core/src/apply/replay.ts
// replay: prove a directory applies from empty by running it on a scratch database on the dev server,
// then dropping that database. A scratch database (not a rolled-back transaction) lets `txmode none`
// files (CREATE INDEX CONCURRENTLY, DO blocks that COMMIT) run exactly as they will in production.






/** Runs every file of `dir` on a fresh database next to `devUrl`'s; throws RelayError when one fails. */
async function replayDir(devUrl, dir) {
    const started = performance.now();
    const dev = parsePostgresUrl(devUrl);
    validateDir(dir);
    const prepared = prepareFiles(dir.files, "file", sumHashes(dir.sum));
    const database = `migrate_relay_replay_${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
    const admin = await connect(dev);
    let scratch;
    let created = false;
    try {
        try {
            await admin.query(`CREATE DATABASE "${database}" TEMPLATE template0`);
            created = true;
        }
        catch (err) {
            const code = err.code;
            const why = scrub((0,src_errors/* messageOf */.bD)(err), dev.secrets);
            throw new src_errors/* RelayError */.cx(code === "42501" ? "config" : "migration", `cannot create a scratch database on the dev server ${dev.display}: ${why}` +
                (code === "42501"
                    ? "; the dev URL's user needs CREATEDB (a disposable server, e.g. a CI service container)"
                    : ""));
        }
        const target = { ...dev, config: { ...dev.config, database }, database };
        scratch = await connect(target, { pipeline: true });
        // A schema-bound dev URL expects its schema to exist, as it does on the dev database itself.
        if (dev.schema && dev.schema !== "public")
            await scratch.query(`CREATE SCHEMA IF NOT EXISTS "${dev.schema.replace(/"/g, '""')}"`);
        const outcome = await runFiles(prepared, { client: scratch, revisions: new Map(), secrets: dev.secrets });
        if (outcome.error) {
            throw new src_errors/* RelayError */.cx(outcome.error.kind, `replaying the directory on the dev database failed: ${outcome.error.message}`, {
                cause: outcome.error,
            });
        }
        return {
            url: dev.display,
            database,
            files: outcome.applied.length,
            statements: outcome.applied.reduce((n, f) => n + f.statements, 0),
            ms: Math.round(performance.now() - started),
        };
    }
    finally {
        await closeQuietly(scratch);
        if (created)
            await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
        await closeQuietly(admin);
    }
}

;// CONCATENATED MODULE: ./packages/core/src/apply/status.ts




async function dirStatus(dir, options) {
    if (!options.url)
        throw (0,src_errors/* configError */.Fj)("no database URL: pass --url or set `url` in the env block");
    const target = parsePostgresUrl(options.url);
    const schema = revisionsSchemaFor(options.revisionsSchema, target.schema);
    const result = {
        url: target.display,
        status: "OK",
        current: "",
        next: "",
        executed: 0,
        pending: [],
        revisionsSchema: schema,
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.trail !== undefined ? { trail: options.trail } : {}),
    };
    let client;
    try {
        client = await connect(target);
        const { tableExists } = await tableState(client, schema);
        const revisions = await readRevisions(client, schema, tableExists);
        const last = revisions[revisions.length - 1];
        // Out-of-order files count as pending here; apply decides (per exec-order) what to do with them.
        const plan = planPending({
            files: dir.files,
            revisions,
            notClean: null,
            baseline: options.baseline,
            execOrder: "non-linear",
        });
        result.current = last?.version ?? "";
        result.executed = revisions.length;
        result.pending = plan.pending.map((f) => f.name);
        result.next = plan.pending[0]?.version ?? "";
        result.status = plan.pending.length ? "PENDING" : "OK";
        if (last && last.applied !== last.total) {
            result.partial = {
                version: last.version,
                applied: last.applied,
                total: last.total,
                ...(last.error ? { error: last.error, errorStmt: last.errorStmt } : {}),
            };
        }
    }
    catch (err) {
        const kind = err instanceof src_errors/* RelayError */.cx ? err.kind : "unreachable";
        result.error = { kind, message: scrub((0,src_errors/* messageOf */.bD)(err), target.secrets) };
    }
    finally {
        await closeQuietly(client);
    }
    return result;
}

;// CONCATENATED MODULE: ./packages/core/src/apply/index.ts









;// CONCATENATED MODULE: ./packages/core/src/config/ast.ts
/** The placeholder a splat's `each` expression starts from (the current element). */
const SPLAT_ITEM = "\u0000splat";

;// CONCATENATED MODULE: ./packages/core/src/config/source.ts
// Positions and errors that point into the config file: every config error starts with file:line:column.

const where = (file, pos) => `${file}:${pos.line}:${pos.col}`;
/** A config error at a place in the file: `atlas.hcl:7:14: <message>`. */
function errorAt(file, pos, message) {
    return new src_errors/* RelayError */.cx("config", `${where(file, pos)}: ${message}`);
}
/** The nearest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
function closest(name, candidates) {
    let best;
    let bestScore = Number.POSITIVE_INFINITY;
    const lower = name.toLowerCase();
    for (const candidate of candidates) {
        // A case-only difference ranks before any real typo (functions are case-sensitive, people are not).
        const score = candidate.toLowerCase() === lower ? 0.5 : editDistance(name, candidate);
        if (score < bestScore) {
            bestScore = score;
            best = candidate;
        }
    }
    const allowed = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
    return bestScore <= allowed ? best : undefined;
}
const didYouMean = (suggestion) => suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
function editDistance(a, b) {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const up = prev[j];
            prev[j] = Math.min(up + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = up;
        }
    }
    return prev[b.length];
}

;// CONCATENATED MODULE: ./packages/core/src/config/values.ts
const isObject = (v) => v instanceof Map;
const isList = (v) => Array.isArray(v);
/** The type of a value as a person would name it in a message. */
function typeName(v) {
    if (v === null)
        return "null";
    if (Array.isArray(v))
        return "list";
    if (v instanceof Map)
        return "object";
    if (typeof v === "boolean")
        return "bool";
    return typeof v;
}
/** `a string ("x")`, `a list`: what was found, for "expected X, found Y" messages. */
function describe(v, show = (s) => s) {
    if (v === null)
        return "null";
    if (typeof v === "string")
        return `a string (${JSON.stringify(show(v))})`;
    if (typeof v === "number" || typeof v === "boolean")
        return `a ${typeName(v)} (${String(v)})`;
    return Array.isArray(v) ? `a list of ${v.length}` : "an object";
}
function equal(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((x, i) => equal(x, b[i]));
    if (a instanceof Map && b instanceof Map) {
        if (a.size !== b.size)
            return false;
        for (const [k, v] of a)
            if (!b.has(k) || !equal(v, b.get(k)))
                return false;
        return true;
    }
    return false;
}
/** Plain JSON (the `vars` input, jsondecode) -> a Value. */
function fromJson(x) {
    if (x === null || x === undefined)
        return null;
    if (typeof x === "string" || typeof x === "number" || typeof x === "boolean")
        return x;
    if (Array.isArray(x))
        return x.map(fromJson);
    if (typeof x === "object")
        return new Map(Object.entries(x).map(([k, v]) => [k, fromJson(v)]));
    return String(x);
}
/** A Value -> plain JSON, object keys sorted (as cty encodes them). */
function toJson(v) {
    if (Array.isArray(v))
        return v.map(toJson);
    if (v instanceof Map) {
        const out = {};
        for (const k of [...v.keys()].sort())
            out[k] = toJson(v.get(k));
        return out;
    }
    return v;
}
/** HCL's number formatting: integers without a fraction, other numbers in shortest form. */
const numberText = (n) => (Number.isInteger(n) ? n.toFixed(0) : String(n));
/** The string form used by templates and string conversion; undefined when there is none. */
function asString(v) {
    if (typeof v === "string")
        return v;
    if (typeof v === "number")
        return numberText(v);
    if (typeof v === "boolean")
        return String(v);
    return undefined;
}
/** Deduplicated and sorted: strings by code unit, numbers numerically, as cty orders set elements. */
function toSet(items) {
    const out = [];
    for (const item of items)
        if (!out.some((x) => equal(x, item)))
            out.push(item);
    if (out.every((x) => typeof x === "string"))
        return out.sort();
    if (out.every((x) => typeof x === "number"))
        return out.sort((a, b) => a - b);
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/config/evaluator.ts



function evaluate(expr, ctx) {
    return new Evaluator(ctx).eval(expr);
}
class Evaluator {
    ctx;
    /** Variables of enclosing for expressions and splats, innermost last. */
    scopes = [];
    constructor(ctx) {
        this.ctx = ctx;
    }
    fail(at, message) {
        throw errorAt(this.ctx.file, at.pos, message);
    }
    text(at) {
        return this.ctx.source.slice(at.start, at.end);
    }
    lookupScope(name) {
        for (let k = this.scopes.length - 1; k >= 0; k--) {
            const scope = this.scopes[k];
            if (scope.has(name))
                return scope.get(name);
        }
        return undefined;
    }
    eval(expr) {
        switch (expr.type) {
            case "literal":
                return expr.value;
            case "template":
                return this.template(expr);
            case "variable":
                return this.variable(expr);
            case "getattr":
                return this.getattr(expr);
            case "index":
                return this.index(expr);
            case "splat":
                return this.splat(expr);
            case "call":
                return this.call(expr);
            case "tuple":
                return expr.items.map((item) => this.eval(item));
            case "object": {
                const out = new Map();
                for (const { key, value } of expr.items)
                    out.set(this.key(key), this.eval(value));
                return out;
            }
            case "unary":
                return expr.op === "!"
                    ? !this.bool(expr.operand, 'operator "!"')
                    : -this.number(expr.operand, 'operator "-"');
            case "binary":
                return this.binary(expr);
            case "conditional":
                return this.bool(expr.cond, "the condition") ? this.eval(expr.then) : this.eval(expr.else);
            case "for":
                return this.forExpr(expr);
        }
    }
    template(expr) {
        // "${x}" alone yields x itself, of any type, as in HCL.
        if (expr.parts.length === 1 && typeof expr.parts[0] !== "string")
            return this.eval(expr.parts[0]);
        let out = "";
        for (const part of expr.parts) {
            if (typeof part === "string") {
                out += part;
                continue;
            }
            const value = this.eval(part);
            const s = asString(value);
            if (s === undefined) {
                this.fail(part, `cannot put ${describe(value)} into a string template; expected a string, number or bool`);
            }
            out += s;
        }
        return out;
    }
    variable(expr) {
        const scoped = this.lookupScope(expr.name);
        if (scoped !== undefined)
            return scoped;
        const enumValue = this.ctx.enums?.get(expr.name);
        if (enumValue !== undefined)
            return enumValue;
        if (this.ctx.namespaces.has(expr.name)) {
            this.fail(expr, `"${expr.name}" must be followed by an attribute name, e.g. ${expr.name}.name`);
        }
        const names = [
            ...this.scopes.flatMap((s) => [...s.keys()]),
            ...(this.ctx.enums?.keys() ?? []),
            ...this.ctx.namespaces.keys(),
        ].filter((n) => n !== SPLAT_ITEM);
        this.fail(expr, `unknown variable "${expr.name}"${didYouMean(closest(expr.name, names))}`);
    }
    getattr(expr) {
        const root = expr.object;
        if (root.type === "variable" && this.lookupScope(root.name) === undefined) {
            const namespace = this.ctx.namespaces.get(root.name);
            if (namespace)
                return namespace.get(expr.name, expr);
        }
        const object = this.eval(root);
        if (isObject(object)) {
            const value = object.get(expr.name);
            if (value !== undefined)
                return value;
            const hint = didYouMean(closest(expr.name, object.keys()));
            this.fail(expr.nameSpan, `${this.text(root)} has no attribute "${expr.name}"${hint}`);
        }
        this.fail(expr.nameSpan, `cannot read attribute "${expr.name}" of ${describe(object)} (${this.text(root)})`);
    }
    index(expr) {
        const object = this.eval(expr.object);
        const key = this.eval(expr.key);
        if (isList(object)) {
            if (typeof key !== "number" || !Number.isInteger(key)) {
                this.fail(expr.key, `a list index must be a whole number; found ${describe(key)}`);
            }
            const value = object[key];
            if (value === undefined || key < 0) {
                this.fail(expr.key, `index ${key} is out of range for ${this.text(expr.object)} (${describe(object)})`);
            }
            return value;
        }
        if (isObject(object)) {
            const name = asString(key);
            if (name === undefined)
                this.fail(expr.key, `a map key must be a string; found ${describe(key)}`);
            const value = object.get(name);
            if (value !== undefined)
                return value;
            this.fail(expr.key, `${this.text(expr.object)} has no key "${name}"${didYouMean(closest(name, object.keys()))}`);
        }
        this.fail(expr, `cannot index ${describe(object)} (${this.text(expr.object)}); expected a list or a map`);
    }
    splat(expr) {
        const object = this.eval(expr.object);
        const items = object === null ? [] : isList(object) ? object : [object];
        return items.map((item) => this.withScope(new Map([[SPLAT_ITEM, item]]), () => this.eval(expr.each)));
    }
    call(expr) {
        const fn = this.ctx.functions.get(expr.name);
        if (!fn) {
            const hint = didYouMean(closest(expr.name, this.ctx.functions.keys()));
            this.fail(expr, `unknown function "${expr.name}"${hint}`);
        }
        const args = expr.args.map((a) => this.eval(a));
        const argSpans = [...expr.args];
        if (expr.expandLast) {
            const last = args.pop();
            const lastSpan = argSpans.pop();
            if (!isList(last))
                this.fail(lastSpan, `"..." expands a list; found ${describe(last)}`);
            args.push(...last);
            argSpans.push(...last.map(() => lastSpan));
        }
        const arity = fn.params.length;
        if (args.length < arity || (!fn.variadic && args.length > arity)) {
            const names = [...fn.params, ...(fn.variadic ? [`${fn.variadic}...`] : [])].join(", ");
            const count = fn.variadic ? `at least ${arity}` : String(arity);
            this.fail(expr, `${expr.name}(${names}) takes ${count} argument${arity === 1 && !fn.variadic ? "" : "s"}, found ${args.length}`);
        }
        return fn.impl({
            name: expr.name,
            args,
            fail: (message, argIndex) => this.fail(argIndex === undefined ? expr : (argSpans[argIndex] ?? expr), `${expr.name}: ${message}`),
        });
    }
    binary(expr) {
        const op = expr.op;
        const what = `operator "${op}"`;
        switch (op) {
            case "&&":
                return this.bool(expr.left, what) && this.bool(expr.right, what);
            case "||":
                return this.bool(expr.left, what) || this.bool(expr.right, what);
            case "==":
                return equal(this.eval(expr.left), this.eval(expr.right));
            case "!=":
                return !equal(this.eval(expr.left), this.eval(expr.right));
        }
        const a = this.number(expr.left, what);
        const b = this.number(expr.right, what);
        switch (op) {
            case "<":
                return a < b;
            case ">":
                return a > b;
            case "<=":
                return a <= b;
            case ">=":
                return a >= b;
            case "+":
                return a + b;
            case "-":
                return a - b;
            case "*":
                return a * b;
            case "/":
                if (b === 0)
                    this.fail(expr.right, "division by zero");
                return a / b;
            default:
                if (b === 0)
                    this.fail(expr.right, "modulo by zero");
                return a % b;
        }
    }
    number(expr, what) {
        const v = this.eval(expr);
        if (typeof v === "number")
            return v;
        if (typeof v === "string" && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v))
            return Number(v);
        this.fail(expr, `${what} expects a number; found ${describe(v)}`);
    }
    bool(expr, what) {
        const v = this.eval(expr);
        if (typeof v === "boolean")
            return v;
        if (v === "true" || v === "false")
            return v === "true";
        this.fail(expr, `${what} expects a bool; found ${describe(v)}`);
    }
    key(expr) {
        const v = this.eval(expr);
        const s = asString(v);
        if (s === undefined)
            this.fail(expr, `an object key must be a string; found ${describe(v)}`);
        return s;
    }
    withScope(scope, fn) {
        this.scopes.push(scope);
        try {
            return fn();
        }
        finally {
            this.scopes.pop();
        }
    }
    forExpr(expr) {
        const collection = this.eval(expr.collection);
        let entries;
        if (isList(collection))
            entries = collection.map((v, i) => [i, v]);
        else if (isObject(collection))
            entries = [...collection];
        else
            this.fail(expr.collection, `a for expression iterates a list or a map; found ${describe(collection)}`);
        const list = [];
        const object = new Map();
        for (const [k, v] of entries) {
            const scope = new Map([[expr.valueVar, v]]);
            if (expr.keyVar !== undefined)
                scope.set(expr.keyVar, k);
            this.withScope(scope, () => {
                if (expr.cond && !this.bool(expr.cond, "the for expression's if"))
                    return;
                if (!expr.object) {
                    list.push(this.eval(expr.value));
                    return;
                }
                const key = this.key(expr.key);
                const value = this.eval(expr.value);
                if (expr.grouping) {
                    const group = object.get(key) ?? [];
                    group.push(value);
                    object.set(key, group);
                }
                else if (object.has(key)) {
                    this.fail(expr.key, `duplicate key "${key}" in a for expression; add "..." after the value to group values by key`);
                }
                else {
                    object.set(key, value);
                }
            });
        }
        return expr.object ? object : list;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/go-url.ts
// Atlas's URL functions run Go's net/url: parse, change one part, String(). WHATWG URL (Node's URL)
// normalizes differently (hosts, special schemes), so the few Go rules they rely on are written here.
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:)?(\/\/[^/?#]*)?([^?#]*)(\?[^#]*)?(#.*)?$/s;
function split(raw) {
    const m = URL_PARTS.exec(raw);
    if (!m)
        return undefined;
    return {
        scheme: m[1] ?? "",
        authority: m[2] ?? "",
        path: m[3] ?? "",
        query: (m[4] ?? "").slice(1),
        hasQuery: m[4] !== undefined,
        fragment: m[5] ?? "",
    };
}
const join = (u) => `${u.scheme}${u.authority}${u.path}${u.hasQuery && u.query !== "" ? `?${u.query}` : ""}${u.fragment}`;
const hex = (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
/** Go's url.QueryEscape: unreserved bytes stay, space becomes "+", everything else %XX. */
function queryEscape(s) {
    let out = "";
    for (const b of new TextEncoder().encode(s)) {
        const c = String.fromCharCode(b);
        if (/[A-Za-z0-9\-_.~]/.test(c))
            out += c;
        else if (c === " ")
            out += "+";
        else
            out += hex(b);
    }
    return out;
}
/** Go's path escaping (url.URL.EscapedPath): also keeps the sub-delimiters a path may hold. */
function pathEscape(s) {
    let out = "";
    for (const b of new TextEncoder().encode(s)) {
        const c = String.fromCharCode(b);
        out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : hex(b);
    }
    return out;
}
function queryUnescape(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, " "));
    }
    catch {
        return undefined;
    }
}
/** urlsetpath(url, path): replaces the path; a host-relative path gains its leading "/" as in Go. */
function urlSetPath(raw, path) {
    const u = split(raw);
    if (!u)
        return undefined;
    let escaped = pathEscape(path);
    if (escaped !== "" && !escaped.startsWith("/") && u.authority !== "")
        escaped = `/${escaped}`;
    return join({ ...u, path: escaped });
}
/** urlqueryset(url, key, value): sets one parameter; Go re-encodes the query with keys sorted. */
function urlQuerySet(raw, key, value) {
    const u = split(raw);
    if (!u)
        return undefined;
    const params = new Map();
    for (const pair of u.query.split("&")) {
        if (pair === "" || pair.includes(";"))
            continue; // Go drops these pairs
        const eq = pair.indexOf("=");
        const k = queryUnescape(eq === -1 ? pair : pair.slice(0, eq));
        const v = queryUnescape(eq === -1 ? "" : pair.slice(eq + 1));
        if (k === undefined || v === undefined)
            continue;
        params.set(k, [...(params.get(k) ?? []), v]);
    }
    params.set(key, [value]);
    const query = [...params.keys()]
        .sort()
        .flatMap((k) => params.get(k).map((v) => `${queryEscape(k)}=${queryEscape(v)}`))
        .join("&");
    return join({ ...u, query, hasQuery: true });
}

;// CONCATENATED MODULE: ./packages/core/src/config/functions.ts
// The functions Atlas configs call. Names are case-sensitive, as in HCL; semantics follow Atlas/cty
// (URL functions follow Go's net/url, format follows Go verbs, jsonencode sorts keys like cty).


function str(call, i, param) {
    const v = call.args[i];
    const s = asString(v);
    if (s === undefined)
        call.fail(`argument ${i + 1} (${param}) must be a string; found ${describe(v)}`, i);
    return s;
}
function list(call, i, param) {
    const v = call.args[i];
    if (!isList(v))
        call.fail(`argument ${i + 1} (${param}) must be a list; found ${describe(v)}`, i);
    return v;
}
function url(call, result) {
    if (result === undefined)
        call.fail(`cannot parse ${JSON.stringify(str(call, 0, "url"))} as a URL`, 0);
    return result;
}
/** Go's JSON encoding of a string (what cty's jsonencode emits): HTML-safe escapes. */
const jsonEncode = (v) => JSON.stringify(toJson(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
/** cty's format(): Go-style verbs %s %d %v %q %t %f and %%. */
function format(call) {
    const spec = str(call, 0, "format");
    let next = 1;
    const out = spec.replace(/%(\.[0-9]+)?([a-zA-Z%])?/g, (whole, precision, verb) => {
        if (verb === "%")
            return "%";
        if (verb === undefined)
            call.fail(`unfinished verb ${JSON.stringify(whole)} at the end of the format`, 0);
        const index = next++;
        if (index >= call.args.length)
            call.fail(`not enough arguments for the verb "%${verb}" (number ${index})`, 0);
        const v = call.args[index];
        switch (verb) {
            case "s":
                return str(call, index, `the value for %s`);
            case "v":
                return asString(v) ?? jsonEncode(v);
            case "q":
                return JSON.stringify(str(call, index, `the value for %q`));
            case "d":
                if (typeof v !== "number" || !Number.isInteger(v))
                    call.fail(`"%d" needs a whole number; found ${describe(v)}`, index);
                return numberText(v);
            case "f":
                if (typeof v !== "number")
                    call.fail(`"%f" needs a number; found ${describe(v)}`, index);
                return v.toFixed(precision ? Number(precision.slice(1)) : 6);
            case "t":
                if (typeof v !== "boolean")
                    call.fail(`"%t" needs a bool; found ${describe(v)}`, index);
                return String(v);
            default:
                call.fail(`unsupported verb "%${verb}"; expected one of %s %d %v %q %t %f %%`, 0);
        }
    });
    if (next < call.args.length)
        call.fail(`too many arguments: the format uses ${next - 1}, found ${call.args.length - 1}`, next);
    return out;
}
function makeFunctions(host) {
    const table = {
        getenv: { params: ["name"], impl: (c) => host.getenv(str(c, 0, "name")) ?? "" },
        file: {
            params: ["path"],
            impl: (c) => {
                const path = str(c, 0, "path");
                try {
                    return host.readFile(path);
                }
                catch (err) {
                    const reason = err.code === "ENOENT" ? "no such file" : err.message;
                    c.fail(`cannot read ${JSON.stringify(path)}: ${reason}`, 0);
                }
            },
        },
        urlsetpath: {
            params: ["url", "path"],
            impl: (c) => url(c, urlSetPath(str(c, 0, "url"), str(c, 1, "path"))),
        },
        urlqueryset: {
            params: ["url", "key", "value"],
            impl: (c) => url(c, urlQuerySet(str(c, 0, "url"), str(c, 1, "key"), str(c, 2, "value"))),
        },
        urlescape: { params: ["string"], impl: (c) => queryEscape(str(c, 0, "string")) },
        toset: {
            params: ["list"],
            impl: (c) => {
                const items = list(c, 0, "list");
                // A set holds one type: mixed strings and numbers become strings, as cty unifies them.
                if (!items.some((x) => typeof x === "string"))
                    return toSet(items);
                return toSet(items.map((x, i) => {
                    const s = asString(x);
                    if (s === undefined)
                        c.fail(`element ${i} must be a string; found ${describe(x)}`, 0);
                    return s;
                }));
            },
        },
        tolist: { params: ["value"], impl: (c) => list(c, 0, "value") },
        tostring: {
            params: ["value"],
            impl: (c) => (c.args[0] === null ? null : str(c, 0, "value")),
        },
        tonumber: {
            params: ["value"],
            impl: (c) => {
                const v = c.args[0];
                if (v === null || typeof v === "number")
                    return v;
                if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)))
                    return Number(v);
                c.fail(`cannot convert ${describe(v)} to a number`, 0);
            },
        },
        concat: {
            params: [],
            variadic: "lists",
            impl: (c) => c.args.flatMap((_, i) => list(c, i, "list")),
        },
        format: { params: ["format"], variadic: "args", impl: format },
        jsonencode: { params: ["value"], impl: (c) => jsonEncode(c.args[0]) },
        jsondecode: {
            params: ["string"],
            impl: (c) => {
                const s = str(c, 0, "string");
                try {
                    return fromJson(JSON.parse(s));
                }
                catch (err) {
                    c.fail(`invalid JSON: ${err.message}`, 0);
                }
            },
        },
        split: {
            params: ["separator", "string"],
            impl: (c) => str(c, 1, "string").split(str(c, 0, "separator")),
        },
        join: {
            params: ["separator", "list"],
            impl: (c) => {
                const sep = str(c, 0, "separator");
                const items = list(c, 1, "list");
                return items
                    .map((x, i) => {
                    const s = asString(x);
                    if (s === undefined)
                        c.fail(`element ${i} of the list must be a string; found ${describe(x)}`, 1);
                    return s;
                })
                    .join(sep);
            },
        },
        replace: {
            params: ["string", "substring", "replacement"],
            impl: (c) => str(c, 0, "string")
                .split(str(c, 1, "substring"))
                .join(str(c, 2, "replacement")),
        },
        lower: { params: ["string"], impl: (c) => str(c, 0, "string").toLowerCase() },
        upper: { params: ["string"], impl: (c) => str(c, 0, "string").toUpperCase() },
        trimspace: { params: ["string"], impl: (c) => str(c, 0, "string").trim() },
        trimprefix: {
            params: ["string", "prefix"],
            impl: (c) => {
                const [s, p] = [str(c, 0, "string"), str(c, 1, "prefix")];
                return s.startsWith(p) ? s.slice(p.length) : s;
            },
        },
        trimsuffix: {
            params: ["string", "suffix"],
            impl: (c) => {
                const [s, p] = [str(c, 0, "string"), str(c, 1, "suffix")];
                return p !== "" && s.endsWith(p) ? s.slice(0, -p.length) : s;
            },
        },
        startswith: {
            params: ["string", "prefix"],
            impl: (c) => str(c, 0, "string").startsWith(str(c, 1, "prefix")),
        },
        endswith: {
            params: ["string", "suffix"],
            impl: (c) => str(c, 0, "string").endsWith(str(c, 1, "suffix")),
        },
        // Skips null and "" (Terraform's rule), so coalesce(getenv("X"), "fallback") works.
        coalesce: {
            params: [],
            variadic: "values",
            impl: (c) => {
                const found = c.args.find((v) => v !== null && v !== "");
                if (found === undefined)
                    c.fail("every argument is null or empty; expected at least one value");
                return found;
            },
        },
        length: {
            params: ["value"],
            impl: (c) => {
                const v = c.args[0];
                if (typeof v === "string")
                    return [...v].length;
                if (isList(v))
                    return v.length;
                if (isObject(v))
                    return v.size;
                c.fail(`expects a string, list or map; found ${describe(v)}`, 0);
            },
        },
        contains: {
            params: ["list", "value"],
            impl: (c) => list(c, 0, "list").some((x) => JSON.stringify(toJson(x)) === JSON.stringify(toJson(c.args[1]))),
        },
        keys: { params: ["map"], impl: (c) => [...mapArg(c, 0).keys()].sort() },
        values: {
            params: ["map"],
            impl: (c) => {
                const m = mapArg(c, 0);
                return [...m.keys()].sort().map((k) => m.get(k));
            },
        },
        merge: {
            params: [],
            variadic: "maps",
            impl: (c) => {
                const out = new Map();
                c.args.forEach((_, i) => {
                    if (c.args[i] === null)
                        return;
                    for (const [k, v] of mapArg(c, i))
                        out.set(k, v);
                });
                return out;
            },
        },
    };
    return new Map(Object.entries(table));
}
function mapArg(call, i) {
    const v = call.args[i];
    if (!isObject(v))
        call.fail(`argument ${i + 1} must be a map; found ${describe(v)}`, i);
    return v;
}

;// CONCATENATED MODULE: ./packages/core/src/config/lexer.ts
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${" here is HCL syntax, not a JS template
// HCL native syntax -> tokens. Strings and heredocs become one template token whose `${...}` parts hold
// their own token lists, so the parser never has to switch lexing modes.

// Longest first, so "==" wins over "=" and "..." over ".".
const PUNCTUATION = [
    "...",
    "=>",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "=",
    ",",
    ".",
    ":",
    "?",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
];
const PUNCTUATION_BY_FIRST = new Map();
for (const p of PUNCTUATION)
    PUNCTUATION_BY_FIRST.set(p[0], [...(PUNCTUATION_BY_FIRST.get(p[0]) ?? []), p]);
const ID_START = /[\p{L}_]/u;
const ID_CONTINUE = /[\p{L}\p{N}_-]/u;
// ASCII fast paths: the Unicode classes above are only consulted for other characters.
const isDigit = (c) => c >= "0" && c <= "9";
const isIdStart = (c) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || (c > "\x7f" && ID_START.test(c));
const isIdContinue = (c) => isIdStart(c) || isDigit(c) || c === "-" || (c > "\x7f" && ID_CONTINUE.test(c));
const HEREDOC_START = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/;
function lex(source, file) {
    return new Lexer(source, file).tokens(false);
}
class Lexer {
    src;
    file;
    i = 0;
    line = 1;
    col = 1;
    constructor(src, file) {
        this.src = src;
        this.file = file;
        // Editors on Windows may save a byte-order mark; it is not part of the first line's columns.
        if (src.startsWith("\uFEFF"))
            this.i = 1;
    }
    /** Tokens up to the end of the file, or (inside `${`) up to the brace that closes the interpolation. */
    tokens(inInterpolation) {
        const out = [];
        let depth = 0;
        for (;;) {
            this.skipSpaceAndComments();
            const pos = this.pos();
            const start = this.i;
            const c = this.src[this.i];
            if (c === undefined) {
                if (inInterpolation)
                    throw errorAt(this.file, pos, 'unterminated "${"; expected "}"');
                out.push({ kind: "eof", text: "end of file", pos, start, end: start });
                return out;
            }
            if (c === "\n" || (c === "\r" && this.src[this.i + 1] === "\n")) {
                this.advance(c === "\r" ? 2 : 1);
                out.push({ kind: "newline", text: "newline", pos, start, end: this.i });
                continue;
            }
            if (inInterpolation && c === "}" && depth === 0) {
                this.advance(1);
                out.push({ kind: "eof", text: "}", pos, start, end: start });
                return out;
            }
            if (c === '"') {
                out.push(this.quoted());
                continue;
            }
            if (c === "<" && this.src[this.i + 1] === "<") {
                const heredoc = this.heredoc();
                if (heredoc) {
                    out.push(heredoc);
                    continue;
                }
            }
            if (isDigit(c)) {
                const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.i, this.i + 64));
                this.advance(m[0].length);
                out.push({ kind: "number", text: m[0], pos, start, end: this.i });
                continue;
            }
            if (isIdStart(c)) {
                let j = this.i + 1;
                while (j < this.src.length && isIdContinue(this.src[j]))
                    j++;
                const text = this.src.slice(this.i, j);
                this.advance(j - this.i);
                out.push({ kind: "ident", text, pos, start, end: this.i });
                continue;
            }
            const punct = (PUNCTUATION_BY_FIRST.get(c) ?? []).find((p) => this.src.startsWith(p, this.i));
            if (!punct) {
                throw errorAt(this.file, pos, `unexpected character ${JSON.stringify(c)}; expected an expression`);
            }
            if (punct === "{")
                depth++;
            if (punct === "}")
                depth--;
            this.advance(punct.length);
            out.push({ kind: "punct", text: punct, pos, start, end: this.i });
        }
    }
    pos() {
        return { line: this.line, col: this.col };
    }
    advance(n) {
        for (let k = 0; k < n; k++) {
            if (this.src[this.i] === "\n") {
                this.line++;
                this.col = 1;
            }
            else {
                this.col++;
            }
            this.i++;
        }
    }
    skipSpaceAndComments() {
        for (;;) {
            const c = this.src[this.i];
            if (c === " " || c === "\t" || (c === "\r" && this.src[this.i + 1] !== "\n")) {
                this.advance(1);
            }
            else if (c === "#" || (c === "/" && this.src[this.i + 1] === "/")) {
                // Line comment: the newline after it still ends the attribute, so leave it in place.
                while (this.i < this.src.length &&
                    this.src[this.i] !== "\n" &&
                    !this.src.startsWith("\r\n", this.i)) {
                    this.advance(1);
                }
            }
            else if (c === "/" && this.src[this.i + 1] === "*") {
                const pos = this.pos();
                const end = this.src.indexOf("*/", this.i + 2);
                if (end === -1)
                    throw errorAt(this.file, pos, 'unterminated comment; expected "*/" before the end of the file');
                this.advance(end + 2 - this.i);
            }
            else {
                return;
            }
        }
    }
    /** `"..."`: escapes, `${...}` interpolations; may not span lines. */
    quoted() {
        const pos = this.pos();
        const start = this.i;
        this.advance(1);
        const parts = [];
        let literal = "";
        for (;;) {
            const c = this.src[this.i];
            if (c === undefined || c === "\n" || (c === "\r" && this.src[this.i + 1] === "\n")) {
                throw errorAt(this.file, pos, 'unterminated string; expected a closing quote (") before the end of the line');
            }
            if (c === '"') {
                this.advance(1);
                break;
            }
            if (c === "\\") {
                literal += this.escape();
                continue;
            }
            const interpolation = this.templateSequence();
            if (interpolation === undefined) {
                literal += c;
                this.advance(1);
            }
            else if (typeof interpolation === "string") {
                literal += interpolation;
            }
            else {
                if (literal)
                    parts.push(literal);
                literal = "";
                parts.push(interpolation);
            }
        }
        if (literal || parts.length === 0)
            parts.push(literal);
        return {
            kind: "template",
            text: this.src.slice(start, this.i),
            parts,
            heredoc: false,
            pos,
            start,
            end: this.i,
        };
    }
    /**
     * At `$${` / `%%{` (escaped, returns the literal text), `${` (returns the interpolation's tokens),
     * `%{` (template directives are not supported: an error), else undefined.
     */
    templateSequence() {
        const c = this.src[this.i];
        if (c !== "$" && c !== "%")
            return undefined;
        const rest2 = this.src.slice(this.i, this.i + 3);
        if (rest2 === "$${" || rest2 === "%%{") {
            this.advance(3);
            return `${rest2[0]}{`;
        }
        if (rest2.startsWith("${")) {
            const pos = this.pos();
            const start = this.i;
            this.advance(2);
            const tokens = this.tokens(true);
            return { tokens, span: { pos, start, end: this.i } };
        }
        if (rest2.startsWith("%{")) {
            throw errorAt(this.file, this.pos(), 'template directives ("%{...}") are not supported; use a conditional or a for expression inside "${...}", or write "%%{" for a literal "%{"');
        }
        return undefined;
    }
    escape() {
        const pos = this.pos();
        const next = this.src[this.i + 1];
        const simple = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (next !== undefined && next in simple) {
            this.advance(2);
            return simple[next];
        }
        const hex = next === "u" ? 4 : next === "U" ? 8 : 0;
        const digits = this.src.slice(this.i + 2, this.i + 2 + hex);
        if (hex && new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) {
            const code = Number.parseInt(digits, 16);
            if (code <= 0x10ffff) {
                this.advance(2 + hex);
                return String.fromCodePoint(code);
            }
        }
        const found = this.src.slice(this.i, this.i + 2 + hex).replace(/[\r\n"].*$/s, "");
        throw errorAt(this.file, pos, `invalid escape "${found}" in a string; expected one of \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`);
    }
    /** `<<EOT` / `<<-EOT` up to a line holding only the marker; undefined when `<<` does not start one. */
    heredoc() {
        const m = HEREDOC_START.exec(this.src.slice(this.i, this.i + 256));
        if (!m)
            return undefined;
        const pos = this.pos();
        const start = this.i;
        const strip = m[1] === "-";
        const marker = m[2];
        this.advance(m[0].length);
        const bodyStart = this.i;
        // Find the closing line first, so the body's end is known before its templates are lexed.
        let lineStart = bodyStart;
        let bodyEnd = -1;
        let after = -1;
        while (lineStart <= this.src.length) {
            const nl = this.src.indexOf("\n", lineStart);
            const lineEnd = nl === -1 ? this.src.length : nl;
            if (this.src.slice(lineStart, lineEnd).replace(/\r$/, "").trim() === marker) {
                bodyEnd = lineStart;
                after = lineEnd;
                break;
            }
            if (nl === -1)
                break;
            lineStart = nl + 1;
        }
        if (bodyEnd === -1) {
            throw errorAt(this.file, pos, `unterminated heredoc; expected a line with only "${marker}" before the end of the file`);
        }
        const parts = [];
        let literal = "";
        while (this.i < bodyEnd) {
            const interpolation = this.templateSequence();
            if (interpolation === undefined) {
                literal += this.src[this.i];
                this.advance(1);
            }
            else if (typeof interpolation === "string") {
                literal += interpolation;
            }
            else {
                if (this.i > bodyEnd) {
                    throw errorAt(this.file, interpolation.span.pos, 'unterminated "${" in heredoc; expected "}"');
                }
                if (literal)
                    parts.push(literal);
                literal = "";
                parts.push(interpolation);
            }
        }
        if (literal || parts.length === 0)
            parts.push(literal);
        this.advance(after - this.i);
        const text = this.src.slice(start, this.i);
        const body = strip ? stripIndent(parts, minIndent(this.src.slice(bodyStart, bodyEnd))) : parts;
        return { kind: "template", text, parts: body, heredoc: true, pos, start, end: this.i };
    }
}
/** The smallest leading whitespace over the body's non-blank lines (for `<<-`). */
function minIndent(body) {
    let min = Number.POSITIVE_INFINITY;
    for (const line of body.split("\n")) {
        if (line.trim() === "")
            continue;
        min = Math.min(min, /^[ \t]*/.exec(line)[0].length);
    }
    return Number.isFinite(min) ? min : 0;
}
/** Removes up to `n` leading spaces/tabs from every line that starts inside a literal part. */
function stripIndent(parts, n) {
    if (n === 0)
        return parts;
    let atLineStart = true;
    return parts.map((part) => {
        if (typeof part !== "string") {
            atLineStart = false;
            return part;
        }
        const lines = part.split("\n");
        const out = lines.map((line, k) => k > 0 || atLineStart ? line.replace(new RegExp(`^[ \\t]{0,${n}}`), "") : line);
        atLineStart = part.endsWith("\n");
        return out.join("\n");
    });
}

;// CONCATENATED MODULE: ./packages/core/src/config/parser.ts



function parse(source, file) {
    const parser = new Parser(lex(source, file), file, false);
    const body = parser.body(true);
    return body;
}
const BINARY_LEVELS = [
    ["||"],
    ["&&"],
    ["==", "!="],
    ["<", ">", "<=", ">="],
    ["+", "-"],
    ["*", "/", "%"],
];
const describeToken = (t) => {
    if (t.kind === "newline" || (t.kind === "eof" && t.text === "end of file"))
        return t.text;
    return t.kind === "template" ? "a string" : `"${t.text}"`;
};
const span = (from, to) => ({ pos: from.pos, start: from.start, end: to.end });
class Parser {
    tokens;
    file;
    i = 0;
    /** Whether newlines are skipped at the current nesting (true inside (), [] and ${}). */
    skipNewlines;
    constructor(tokens, file, skipNewlines) {
        this.tokens = tokens;
        this.file = file;
        this.skipNewlines = [skipNewlines];
    }
    // ---- token access ----
    peek() {
        if (this.skipNewlines[this.skipNewlines.length - 1]) {
            while (this.tokens[this.i].kind === "newline")
                this.i++;
        }
        return this.tokens[this.i];
    }
    next() {
        const t = this.peek();
        if (t.kind !== "eof")
            this.i++;
        return t;
    }
    isPunct(text) {
        const t = this.peek();
        return t.kind === "punct" && t.text === text;
    }
    eat(text) {
        if (!this.isPunct(text))
            return false;
        this.next();
        return true;
    }
    expect(text, what) {
        const t = this.peek();
        if (t.kind !== "punct" || t.text !== text)
            throw this.unexpected(t, what);
        return this.next();
    }
    unexpected(t, expected) {
        return errorAt(this.file, t.pos, `unexpected ${describeToken(t)}; expected ${expected}`);
    }
    skipBlankLines() {
        while (this.tokens[this.i].kind === "newline")
            this.i++;
    }
    nested(skip, fn) {
        this.skipNewlines.push(skip);
        try {
            return fn();
        }
        finally {
            this.skipNewlines.pop();
        }
    }
    // ---- structure ----
    body(topLevel, opener) {
        const body = { attributes: [], blocks: [] };
        const seen = new Map();
        for (;;) {
            this.skipBlankLines();
            const t = this.tokens[this.i];
            if (t.kind === "eof") {
                if (opener) {
                    const at = `line ${opener.pos.line}, column ${opener.pos.col}`;
                    throw this.unexpected(t, `a "}" to close the block opened at ${at}`);
                }
                return body;
            }
            if (t.kind === "punct" && t.text === "}") {
                if (topLevel)
                    throw this.unexpected(t, "an attribute name or a block type");
                return body;
            }
            if (t.kind !== "ident")
                throw this.unexpected(t, "an attribute name or a block type");
            this.i++;
            const after = this.tokens[this.i];
            if (after.kind === "punct" && after.text === "=") {
                this.i++;
                const expr = this.nested(false, () => this.expression());
                const attr = { name: t.text, expr, ...span(t, expr) };
                const first = seen.get(t.text);
                if (first) {
                    throw errorAt(this.file, t.pos, `duplicate attribute "${t.text}"; it is already set at ${where(this.file, first.pos)}`);
                }
                seen.set(t.text, attr);
                body.attributes.push(attr);
            }
            else {
                body.blocks.push(this.block(t));
            }
            this.endOfItem();
        }
    }
    /** An attribute or block ends at a newline, the end of the file, or the "}" of a one-line block. */
    endOfItem() {
        const t = this.tokens[this.i];
        if (t.kind === "newline") {
            this.i++;
            return;
        }
        if (t.kind === "eof" || (t.kind === "punct" && t.text === "}"))
            return;
        throw this.unexpected(t, "a newline after the attribute or block");
    }
    block(typeToken) {
        const labels = [];
        const labelSpans = [];
        for (;;) {
            const t = this.tokens[this.i];
            if (t.kind === "ident") {
                labels.push(t.text);
            }
            else if (t.kind === "template" && !t.heredoc && t.parts.every((p) => typeof p === "string")) {
                labels.push(t.parts.join(""));
            }
            else if (t.kind === "punct" && t.text === "{") {
                break;
            }
            else {
                const expected = labels.length === 0 ? '"=" or a block label or "{"' : 'a block label or "{"';
                throw this.unexpected(t, expected);
            }
            labelSpans.push(t);
            this.i++;
        }
        const open = this.tokens[this.i];
        this.i++;
        const body = this.nested(false, () => this.body(false, open));
        const close = this.tokens[this.i];
        this.i++; // "}"
        return { type: typeToken.text, labels, labelSpans, body, ...span(typeToken, close) };
    }
    // ---- expressions ----
    expression() {
        const cond = this.binary(0);
        if (!this.isPunct("?"))
            return cond;
        this.next();
        const then = this.nested(true, () => this.expression());
        this.nested(true, () => this.expect(":", 'the ":" of a conditional'));
        const otherwise = this.expression();
        return { type: "conditional", cond, then, else: otherwise, ...span(cond, otherwise) };
    }
    binary(level) {
        if (level === BINARY_LEVELS.length)
            return this.unary();
        let left = this.binary(level + 1);
        for (;;) {
            const t = this.peek();
            if (t.kind !== "punct" || !BINARY_LEVELS[level].includes(t.text))
                return left;
            this.next();
            const right = this.binary(level + 1);
            left = { type: "binary", op: t.text, left, right, ...span(left, right) };
        }
    }
    unary() {
        const t = this.peek();
        if (t.kind === "punct" && (t.text === "!" || t.text === "-")) {
            this.next();
            const operand = this.unary();
            return { type: "unary", op: t.text, operand, ...span(t, operand) };
        }
        return this.postfix(this.primary());
    }
    postfix(expr) {
        for (;;) {
            // Attribute and index access must follow directly: a newline ends the expression.
            const t = this.tokens[this.i];
            if (t.kind === "punct" && t.text === ".") {
                this.i++;
                const name = this.tokens[this.i];
                if (name.kind === "punct" && name.text === "*") {
                    this.i++;
                    expr = this.splat(expr, name);
                    continue;
                }
                if (name.kind !== "ident" && name.kind !== "number")
                    throw this.unexpected(name, 'an attribute name after "."');
                this.i++;
                if (name.kind === "number") {
                    const key = { type: "literal", value: Number(name.text), ...span(name, name) };
                    expr = { type: "index", object: expr, key, ...span(expr, name) };
                }
                else {
                    expr = { type: "getattr", object: expr, name: name.text, nameSpan: name, ...span(expr, name) };
                }
                continue;
            }
            if (t.kind === "punct" && t.text === "[") {
                this.i++;
                const star = this.tokens[this.i];
                if (star.kind === "punct" && star.text === "*") {
                    this.i++;
                    const close = this.nested(true, () => this.expect("]", 'the "]" of a splat'));
                    expr = this.splat(expr, close);
                    continue;
                }
                const key = this.nested(true, () => this.expression());
                const close = this.nested(true, () => this.expect("]", 'a closing "]"'));
                expr = { type: "index", object: expr, key, ...span(expr, close) };
                continue;
            }
            return expr;
        }
    }
    /** `xs[*].a.b`: the attribute steps after the star apply to each element. */
    splat(object, star) {
        let each = { type: "variable", name: SPLAT_ITEM, ...star };
        for (;;) {
            const dot = this.tokens[this.i];
            const name = this.tokens[this.i + 1];
            if (dot.kind !== "punct" || dot.text !== "." || name.kind !== "ident")
                break;
            this.i += 2;
            each = { type: "getattr", object: each, name: name.text, nameSpan: name, ...span(each, name) };
        }
        return { type: "splat", object, each, ...span(object, each) };
    }
    primary() {
        const t = this.next();
        switch (t.kind) {
            case "number":
                return { type: "literal", value: Number(t.text), ...span(t, t) };
            case "template":
                return this.template(t);
            case "ident": {
                if (t.text === "true" || t.text === "false")
                    return { type: "literal", value: t.text === "true", ...span(t, t) };
                if (t.text === "null")
                    return { type: "literal", value: null, ...span(t, t) };
                const after = this.tokens[this.i];
                if (after.kind === "punct" && after.text === "(") {
                    this.i++;
                    return this.call(t);
                }
                return { type: "variable", name: t.text, ...span(t, t) };
            }
            case "punct":
                if (t.text === "(") {
                    const inner = this.nested(true, () => this.expression());
                    const close = this.nested(true, () => this.expect(")", 'a closing ")"'));
                    return { ...inner, ...span(t, close) };
                }
                if (t.text === "[")
                    return this.nested(true, () => this.tuple(t));
                if (t.text === "{")
                    return this.nested(false, () => this.object(t));
                throw this.unexpected(t, "an expression");
            default:
                throw this.unexpected(t, "an expression");
        }
    }
    template(t) {
        const parts = t.parts.map((part) => {
            if (typeof part === "string")
                return part;
            const sub = new Parser(part.tokens, this.file, true);
            const first = sub.peek();
            if (first.kind === "eof")
                throw errorAt(this.file, part.span.pos, 'empty "${}"; expected an expression');
            const expr = sub.expression();
            const end = sub.peek();
            if (end.kind !== "eof")
                throw sub.unexpected(end, 'the "}" that closes "${"');
            return expr;
        });
        if (parts.every((p) => typeof p === "string")) {
            return { type: "literal", value: parts.join(""), ...span(t, t) };
        }
        return { type: "template", parts, ...span(t, t) };
    }
    call(name) {
        return this.nested(true, () => {
            const args = [];
            let expandLast = false;
            while (!this.isPunct(")")) {
                args.push(this.expression());
                if (this.eat("...")) {
                    expandLast = true;
                    if (!this.isPunct(")"))
                        throw this.unexpected(this.peek(), 'a closing ")" after "..."');
                    break;
                }
                if (!this.eat(",") && !this.isPunct(")"))
                    throw this.unexpected(this.peek(), `"," or ")" in the call to ${name.text}`);
            }
            const close = this.next();
            return { type: "call", name: name.text, args, expandLast, ...span(name, close) };
        });
    }
    isForKeyword() {
        const t = this.peek();
        const after = this.tokens[this.i + 1];
        return t.kind === "ident" && t.text === "for" && after?.kind === "ident";
    }
    tuple(open) {
        if (this.isForKeyword())
            return this.forExpr(open, false);
        const items = [];
        while (!this.isPunct("]")) {
            items.push(this.expression());
            if (!this.eat(",") && !this.isPunct("]"))
                throw this.unexpected(this.peek(), '"," or "]" in the list');
        }
        const close = this.next();
        return { type: "tuple", items, ...span(open, close) };
    }
    object(open) {
        this.skipBlankLines();
        if (this.isForKeyword())
            return this.nested(true, () => this.forExpr(open, true));
        const items = [];
        for (;;) {
            this.skipBlankLines();
            if (this.isPunct("}"))
                break;
            const key = this.objectKey();
            const sep = this.peek();
            if (sep.kind !== "punct" || (sep.text !== "=" && sep.text !== ":")) {
                throw this.unexpected(sep, '"=" or ":" after the object key');
            }
            this.next();
            const value = this.expression();
            items.push({ key, value });
            const t = this.tokens[this.i];
            if (t.kind === "newline" || (t.kind === "punct" && t.text === ",")) {
                this.i++;
                continue;
            }
            if (t.kind === "punct" && t.text === "}")
                break;
            throw this.unexpected(t, '"," or a newline or "}" in the object');
        }
        const close = this.next();
        return { type: "object", items, ...span(open, close) };
    }
    /** A bare identifier key is its own name (`{ a = 1 }`), not a variable; anything else is an expression. */
    objectKey() {
        const t = this.peek();
        const after = this.tokens[this.i + 1];
        if (t.kind === "ident" && after?.kind === "punct" && (after.text === "=" || after.text === ":")) {
            this.next();
            return { type: "literal", value: t.text, ...span(t, t) };
        }
        return this.binary(0);
    }
    forExpr(open, object) {
        this.next(); // "for"
        const first = this.next();
        if (first.kind !== "ident")
            throw this.unexpected(first, 'a variable name after "for"');
        let keyVar;
        let valueVar = first.text;
        if (this.eat(",")) {
            const second = this.next();
            if (second.kind !== "ident")
                throw this.unexpected(second, 'a second variable name after ","');
            keyVar = first.text;
            valueVar = second.text;
        }
        const inKw = this.next();
        if (inKw.kind !== "ident" || inKw.text !== "in")
            throw this.unexpected(inKw, '"in"');
        const collection = this.expression();
        this.expect(":", 'the ":" of a for expression');
        let key;
        let value = this.expression();
        let grouping = false;
        if (object) {
            this.expect("=>", 'the "=>" of an object for expression');
            key = value;
            value = this.expression();
            grouping = this.eat("...");
        }
        let cond;
        const ifKw = this.peek();
        if (ifKw.kind === "ident" && ifKw.text === "if") {
            this.next();
            cond = this.expression();
        }
        const close = this.expect(object ? "}" : "]", object ? 'a closing "}"' : 'a closing "]"');
        return {
            type: "for",
            object,
            ...(keyVar !== undefined ? { keyVar } : {}),
            valueVar,
            collection,
            ...(key ? { key } : {}),
            value,
            grouping,
            ...(cond ? { cond } : {}),
            ...span(open, close),
        };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/var-types.ts

const PRIMITIVES = new Set(["any", "string", "number", "bool"]);
const typeText = (t) => "element" in t ? `${t.kind}(${typeText(t.element)})` : t.kind;
/** The type an expression names; a message (not thrown) when it names none. */
function parseType(expr) {
    if (expr.type === "variable" && PRIMITIVES.has(expr.name))
        return { kind: expr.name };
    if (expr.type === "call" && ["list", "set", "map"].includes(expr.name) && expr.args.length === 1) {
        const element = parseType(expr.args[0]);
        if (typeof element === "string")
            return element;
        return { kind: expr.name, element };
    }
    // object(...) and tuple(...) constraints are accepted and not checked beyond being values.
    if (expr.type === "call" && (expr.name === "object" || expr.name === "tuple"))
        return { kind: "any" };
    return "expected string, number, bool, list(...), set(...), map(...) or any";
}
/** Converts `v` to `t` as HCL does (numbers and bools to strings and back); a message when it cannot. */
function convert(v, t) {
    const fail = () => ({ error: `expected ${typeText(t)}, found ${describe(v)}` });
    switch (t.kind) {
        case "any":
            return { value: v };
        case "string": {
            const s = asString(v);
            return s === undefined ? fail() : { value: s };
        }
        case "number":
            if (typeof v === "number")
                return { value: v };
            if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)))
                return { value: Number(v) };
            return fail();
        case "bool":
            if (typeof v === "boolean")
                return { value: v };
            if (v === "true" || v === "false")
                return { value: v === "true" };
            return fail();
        case "list":
        case "set": {
            // A lone string stands for a one-element list: `--var tenants=acme` gives ["acme"].
            const items = isList(v) ? v : typeof v === "string" ? [v] : undefined;
            if (items === undefined)
                return fail();
            const out = [];
            for (const [i, item] of items.entries()) {
                const r = convert(item, t.element);
                if ("error" in r)
                    return { error: `element ${i}: ${r.error}` };
                out.push(r.value);
            }
            return { value: t.kind === "set" ? toSet(out) : out };
        }
        case "map": {
            if (!isObject(v))
                return fail();
            const out = new Map();
            for (const [k, item] of v) {
                const r = convert(item, t.element);
                if ("error" in r)
                    return { error: `key "${k}": ${r.error}` };
                out.set(k, r.value);
            }
            return { value: out };
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/resolve.ts
// Atlas semantics over the syntax tree: locals, variables, env selection, for_each, and the typed
// ResolvedEnv (one per instance). Only what the selected env reaches is evaluated, so other envs'
// getenv() calls or data sources never fail this one.









const FORMATS = ["atlas", "flyway", "liquibase", "goose", "golang-migrate"];
const resolve_EXEC_ORDERS = ["linear", "linear-skip", "non-linear"];
// Atlas writes these as bare identifiers (`format = flyway`, `exec_order = LINEAR_SKIP`).
const FORMAT_ENUMS = new Map(FORMATS.map((f) => [f, f]));
const EXEC_ORDER_ENUMS = new Map([
    ["LINEAR", "linear"],
    ["LINEAR_SKIP", "linear-skip"],
    ["NON_LINEAR", "non-linear"],
]);
// Values quoted in messages keep their spelling unless they carry a secret.
const showUrl = (s) => (secretsOfUrl(s).length > 0 || /:[^/@]*@/.test(s) ? redactUrl(s) : s);
const URL_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/./;
const URL_KINDS = "s3://, file://, atlas:// or another scheme://";
/** Resolves env `options.env` of an atlas.hcl given as text: one ResolvedEnv per instance. */
function resolveEnvFromSource(source, fileName, options) {
    return new Document(source, fileName, options).resolve();
}
class Document {
    source;
    file;
    options;
    body;
    locals = new Map();
    localValues = new Map();
    evaluating = [];
    variables = new Map();
    varValues = new Map();
    envBlocks = [];
    dataBlocks = [];
    atlasBlock;
    functions;
    global;
    constructor(source, file, options) {
        this.source = source;
        this.file = file;
        this.options = options;
        this.body = parse(source, file);
        const getenv = options.getenv ?? ((name) => process.env[name]);
        const baseDir = options.baseDir ?? process.cwd();
        const read = options.readFile ?? ((path) => (0,external_node_fs_.readFileSync)(path, "utf8"));
        this.functions = makeFunctions({ getenv, readFile: (path) => read((0,external_node_path_.resolve)(baseDir, path)) });
        this.global = new Map([
            ["local", { get: (name, at) => this.local(name, at) }],
            ["var", { get: (name, at) => this.variable(name, at) }],
            ["atlas", { get: (name, at) => this.atlasRef(name, at) }],
            ["data", { get: (name, at) => this.dataRef(name, at) }],
            [
                "each",
                {
                    get: (name, at) => this.fail(at, `each.${name} is only available inside an env block that has for_each`),
                },
            ],
        ]);
        this.collect();
        this.addUnsupportedBlockNamespaces();
        this.checkLocalCycles();
    }
    fail(at, message) {
        throw errorAt(this.file, "pos" in at ? at.pos : at, message);
    }
    ctx(namespaces, enums) {
        return {
            file: this.file,
            source: this.source,
            namespaces,
            functions: this.functions,
            ...(enums ? { enums } : {}),
        };
    }
    // ---- the file's top level ----
    collect() {
        for (const block of this.body.blocks) {
            switch (block.type) {
                case "locals":
                    for (const attr of block.body.attributes) {
                        const first = this.locals.get(attr.name);
                        if (first) {
                            this.fail(attr, `duplicate local "${attr.name}"; it is already defined at ${where(this.file, first.pos)}`);
                        }
                        this.locals.set(attr.name, attr);
                    }
                    break;
                case "variable": {
                    if (block.labels.length !== 1) {
                        this.fail(block, `found a variable block with ${block.labels.length} labels; expected one, its name: variable "name" { ... }`);
                    }
                    const name = block.labels[0];
                    const first = this.variables.get(name);
                    if (first)
                        this.fail(block, `duplicate variable "${name}"; it is already declared at ${where(this.file, first.pos)}`);
                    this.variables.set(name, block);
                    break;
                }
                case "env":
                    this.envBlocks.push(block);
                    break;
                case "data":
                    this.dataBlocks.push(block);
                    break;
                case "atlas":
                    if (this.atlasBlock) {
                        this.fail(block, `duplicate atlas block; the first one is at ${where(this.file, this.atlasBlock.pos)}`);
                    }
                    this.atlasBlock = block;
                    break;
            }
        }
    }
    /**
     * Atlas lets other top-level blocks be referenced (docker "postgres" "dev" -> docker.postgres.dev.url);
     * migrate-relay runs none of them, so a reference says that instead of "unknown variable".
     */
    addUnsupportedBlockNamespaces() {
        for (const block of this.body.blocks) {
            if (this.global.has(block.type) || ["locals", "variable", "env"].includes(block.type))
                continue;
            if (block.labels.length === 0)
                continue;
            this.global.set(block.type, {
                get: (name, at) => {
                    const found = this.body.blocks.find((b) => b.type === block.type && b.labels[0] === name);
                    if (!found) {
                        const labels = this.body.blocks
                            .filter((b) => b.type === block.type)
                            .map((b) => b.labels[0] ?? "");
                        this.fail(at, `unknown variable "${block.type}.${name}"${didYouMean(suggest(block.type, name, labels))}`);
                    }
                    this.fail(at, `${block.type} blocks are not supported (${block.type}.${name} is declared at ${where(this.file, found.pos)}); use a variable or a local instead`);
                },
            });
        }
    }
    /** Cycles among locals are found from the references alone, so one is reported even if unused. */
    checkLocalCycles() {
        const refs = new Map();
        for (const [name, attr] of this.locals)
            refs.set(name, localRefs(attr.expr).filter((r) => this.locals.has(r)));
        const state = new Map();
        const path = [];
        const visit = (name) => {
            if (state.get(name) === "done")
                return;
            if (state.get(name) === "open") {
                const cycle = [...path.slice(path.indexOf(name)), name].map((n) => `local.${n}`);
                this.fail(this.locals.get(name), `cycle in locals: ${cycle.join(" -> ")}`);
            }
            state.set(name, "open");
            path.push(name);
            for (const next of refs.get(name))
                visit(next);
            path.pop();
            state.set(name, "done");
        };
        for (const name of this.locals.keys())
            visit(name);
    }
    // ---- namespaces ----
    local(name, at) {
        const cached = this.localValues.get(name);
        if (cached !== undefined)
            return cached;
        const attr = this.locals.get(name);
        if (!attr) {
            const hint = didYouMean(suggest("local", name, this.locals.keys()));
            this.fail(at, `unknown variable "local.${name}"${hint}`);
        }
        if (this.evaluating.includes(name)) {
            const cycle = [...this.evaluating.slice(this.evaluating.indexOf(name)), name].map((n) => `local.${n}`);
            this.fail(attr, `cycle in locals: ${cycle.join(" -> ")}`);
        }
        this.evaluating.push(name);
        try {
            const value = evaluate(attr.expr, this.ctx(this.global));
            this.localValues.set(name, value);
            return value;
        }
        finally {
            this.evaluating.pop();
        }
    }
    variable(name, at) {
        const cached = this.varValues.get(name);
        if (cached !== undefined)
            return cached;
        const block = this.variables.get(name);
        if (!block) {
            const hint = didYouMean(suggest("var", name, this.variables.keys()));
            this.fail(at, `unknown variable "var.${name}"${hint || `; declare it with variable "${name}" { type = string }`}`);
        }
        const label = block.labelSpans[0] ?? block;
        let type = { kind: "any" };
        const typeAttr = block.body.attributes.find((a) => a.name === "type");
        if (typeAttr) {
            const parsed = parseType(typeAttr.expr);
            if (typeof parsed === "string") {
                this.fail(typeAttr.expr, `variable "${name}": unknown type "${this.text(typeAttr.expr)}"; ${parsed}`);
            }
            type = parsed;
        }
        const input = this.options.vars ?? {};
        let value;
        // A null in the vars JSON means "not given", so the default applies.
        if (Object.hasOwn(input, name) && input[name] !== null && input[name] !== undefined) {
            const converted = convert(fromJson(input[name]), type);
            if ("error" in converted) {
                this.fail(label, `variable "${name}": ${converted.error} (the value given by the vars input or --var)`);
            }
            value = converted.value;
        }
        else {
            const def = block.body.attributes.find((a) => a.name === "default");
            if (!def) {
                this.fail(at, `variable "${name}" is required and has no value (declared at ${where(this.file, block.pos)} without a default); ` +
                    `pass it in the vars input ({"${name}": ...}) or with --var ${name}=...`);
            }
            const converted = convert(evaluate(def.expr, this.ctx(this.global)), type);
            if ("error" in converted)
                this.fail(def.expr, `variable "${name}": the default: ${converted.error}`);
            value = converted.value;
        }
        this.varValues.set(name, value);
        return value;
    }
    atlasRef(name, at) {
        if (name === "env")
            return this.options.env;
        this.fail(at.nameSpan, `unknown variable "atlas.${name}"${didYouMean(suggest("atlas", name, ["env"]))}`);
    }
    dataRef(name, at) {
        const found = this.dataBlocks.find((b) => b.labels[0] === name);
        if (found) {
            this.fail(at, `data sources are not supported (data.${name} is declared at ${where(this.file, found.pos)}); use a variable or a local instead`);
        }
        const types = this.dataBlocks.map((b) => b.labels[0] ?? "");
        this.fail(at, `unknown variable "data.${name}"${didYouMean(suggest("data", name, types))}`);
    }
    text(span) {
        return this.source.slice(span.start, span.end);
    }
    // ---- envs ----
    resolve() {
        const wanted = this.options.env;
        const named = this.envBlocks.map((block) => ({ block, name: this.envName(block) }));
        const selected = named.filter((e) => e.name === wanted);
        if (selected.length === 0) {
            const defined = named.map((e) => `"${e.name}" (line ${e.block.pos.line})`).join(", ");
            const expected = defined ? `expected one of ${defined}` : "the file defines no env blocks";
            if (wanted === "")
                this.fail({ line: 1, col: 1 }, `no env selected (pass --env or the env input); ${expected}`);
            const hint = didYouMean(closest(wanted, named.map((e) => e.name)));
            this.fail({ line: 1, col: 1 }, `unknown env "${wanted}"; ${expected}${hint}`);
        }
        const cloud = this.cloud();
        const out = [];
        for (const { block, name } of selected) {
            for (const each of this.instances(block)) {
                const namespaces = new Map(this.global);
                if (each)
                    namespaces.set("each", eachNamespace(each, (at, message) => this.fail(at, message)));
                out.push(this.env(block, name, each?.key, namespaces, cloud));
            }
        }
        return out;
    }
    envName(block) {
        if (block.labels.length === 1)
            return block.labels[0];
        if (block.labels.length > 1) {
            this.fail(block.labelSpans[1], `found ${block.labels.length} labels on an env block; expected one, its name`);
        }
        // Atlas's unlabeled form: env { name = atlas.env ... }
        const attr = block.body.attributes.find((a) => a.name === "name");
        if (!attr)
            this.fail(block, 'found an env block without a name; expected env "name" { ... } or a name attribute');
        const value = evaluate(attr.expr, this.ctx(this.global));
        if (typeof value !== "string")
            this.fail(attr.expr, `env name: expected a string, found ${describe(value)}`);
        return value;
    }
    instances(block) {
        const attr = block.body.attributes.find((a) => a.name === "for_each");
        if (!attr)
            return [undefined];
        const value = evaluate(attr.expr, this.ctx(this.global));
        const expected = "expected a set or list of strings, or a map";
        if (isObject(value)) {
            if (value.size === 0)
                this.fail(attr.expr, `for_each: found an empty map; ${expected} with at least one element`);
            return [...value].map(([key, v]) => ({ key, value: v }));
        }
        if (!isList(value))
            this.fail(attr.expr, `for_each: found ${describe(value)}; ${expected}`);
        if (value.length === 0)
            this.fail(attr.expr, `for_each: found an empty list; ${expected} with at least one element`);
        const seen = new Set();
        return value.map((item, i) => {
            if (typeof item !== "string")
                this.fail(attr.expr, `for_each: element ${i} is ${describe(item)}; ${expected}`);
            if (seen.has(item)) {
                this.fail(attr.expr, `for_each: duplicate element "${item}"; expected each key once (toset(...) drops duplicates)`);
            }
            seen.add(item);
            return { key: item, value: item };
        });
    }
    cloud() {
        const block = this.atlasBlock && this.single(this.atlasBlock.body, "cloud");
        if (!block)
            return {};
        const ctx = this.ctx(this.global);
        return compact({
            token: this.string(block.body, "token", "atlas.cloud.token", ctx, { secret: true }),
            url: this.url(block.body, "url", "atlas.cloud.url", ctx),
            project: this.string(block.body, "project", "atlas.cloud.project", ctx),
        });
    }
    env(block, name, instance, namespaces, cloud) {
        const ctx = this.ctx(namespaces);
        const migration = this.single(block.body, "migration");
        const repo = migration && this.single(migration.body, "repo");
        const m = migration?.body;
        const r = repo?.body;
        const execOrder = m && this.string(m, "exec_order", "migration.exec_order", this.ctx(namespaces, EXEC_ORDER_ENUMS));
        const format = m && this.string(m, "format", "migration.format", this.ctx(namespaces, FORMAT_ENUMS));
        return compact({
            name,
            instance,
            url: this.string(block.body, "url", "url", ctx),
            dev: this.string(block.body, "dev", "dev", ctx),
            migration: compact({
                dir: m && this.string(m, "dir", "migration.dir", ctx),
                format: format ? this.oneOf(m, "format", format, FORMATS) : undefined,
                baseline: m && this.string(m, "baseline", "migration.baseline", ctx),
                execOrder: execOrder
                    ? this.oneOf(m, "exec_order", execOrder.toLowerCase().replace(/_/g, "-"), resolve_EXEC_ORDERS)
                    : undefined,
                lockTimeout: m && this.string(m, "lock_timeout", "migration.lock_timeout", ctx),
                revisionsSchema: m && this.string(m, "revisions_schema", "migration.revisions_schema", ctx),
                repo: compact({
                    name: r && this.string(r, "name", "migration.repo.name", ctx),
                    backup: r ? this.backups(r, ctx) : [],
                    url: r && this.url(r, "url", "migration.repo.url", ctx),
                }),
            }),
            cloud,
        });
    }
    /** The one block of a type inside a body (undefined when absent; an error when repeated). */
    single(body, type) {
        const blocks = body.blocks.filter((b) => b.type === type);
        if (blocks.length > 1) {
            this.fail(blocks[1], `duplicate ${type} block; the first one is at ${where(this.file, blocks[0].pos)}`);
        }
        return blocks[0];
    }
    attribute(body, name) {
        return body.attributes.find((a) => a.name === name);
    }
    /** A string attribute; null and "" mean unset (getenv() of an unset variable gives ""). */
    string(body, name, path, ctx, opts = {}) {
        const attr = this.attribute(body, name);
        if (!attr)
            return undefined;
        const value = evaluate(attr.expr, ctx);
        if (value === null || value === "")
            return undefined;
        const s = asString(value);
        if (s === undefined) {
            this.fail(attr.expr, `${path}: expected a string, found ${describe(value, opts.secret ? () => "***" : showUrl)}`);
        }
        return s;
    }
    url(body, name, path, ctx) {
        const s = this.string(body, name, path, ctx);
        if (s !== undefined && !URL_SHAPE.test(s)) {
            this.fail(this.attribute(body, name).expr, `${path}: expected a URL (${URL_KINDS}), found ${JSON.stringify(showUrl(s))}`);
        }
        return s;
    }
    oneOf(body, name, value, allowed) {
        if (allowed.includes(value))
            return value;
        const hint = didYouMean(closest(value, allowed));
        this.fail(this.attribute(body, name).expr, `migration.${name}: unknown value "${value}"; expected one of ${allowed.join(", ")}${hint}`);
    }
    backups(body, ctx) {
        const attr = this.attribute(body, "backup");
        if (!attr)
            return [];
        const value = evaluate(attr.expr, ctx);
        if (value === null)
            return [];
        if (!isList(value)) {
            const hint = typeof value === "string" ? `; write backup = [${JSON.stringify(showUrl(value))}]` : "";
            this.fail(attr.expr, `migration.repo.backup: expected a list of URLs, found ${describe(value, showUrl)}${hint}`);
        }
        return value.map((item, i) => {
            // Point at the element itself when the list is written out in place.
            const at = attr.expr.type === "tuple" ? (attr.expr.items[i] ?? attr.expr) : attr.expr;
            if (typeof item !== "string" || !URL_SHAPE.test(item)) {
                this.fail(at, `migration.repo.backup[${i}]: expected a URL (${URL_KINDS}), found ${describe(item, showUrl)}`);
            }
            return item;
        });
    }
}
function eachNamespace(each, fail) {
    return {
        get(name, at) {
            if (name === "key")
                return each.key;
            if (name === "value")
                return each.value;
            fail(at.nameSpan, `unknown variable "each.${name}"${didYouMean(suggest("each", name, ["key", "value"]))}`);
        },
    };
}
const suggest = (root, name, names) => {
    const found = closest(name, names);
    return found === undefined ? undefined : `${root}.${found}`;
};
/** Drops keys whose value is undefined, so results compare and print cleanly. */
function compact(obj) {
    return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
/** Names of `local.X` references in an expression (for the static cycle check). */
function localRefs(expr) {
    const out = [];
    const walk = (e) => {
        switch (e.type) {
            case "getattr":
                if (e.object.type === "variable" && e.object.name === "local")
                    out.push(e.name);
                else
                    walk(e.object);
                return;
            case "template":
                for (const p of e.parts)
                    if (typeof p !== "string")
                        walk(p);
                return;
            case "index":
                walk(e.object);
                walk(e.key);
                return;
            case "splat":
                walk(e.object);
                walk(e.each);
                return;
            case "call":
                e.args.forEach(walk);
                return;
            case "tuple":
                e.items.forEach(walk);
                return;
            case "object":
                for (const item of e.items) {
                    walk(item.key);
                    walk(item.value);
                }
                return;
            case "unary":
                walk(e.operand);
                return;
            case "binary":
                walk(e.left);
                walk(e.right);
                return;
            case "conditional":
                walk(e.cond);
                walk(e.then);
                walk(e.else);
                return;
            case "for":
                walk(e.collection);
                if (e.key)
                    walk(e.key);
                walk(e.value);
                if (e.cond)
                    walk(e.cond);
                return;
            default:
                return;
        }
    };
    walk(expr);
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/config/load.ts
// Reading atlas.hcl from disk (read-only) and turning `--var k=v` flags into input variables.




/** Loads env `options.env` from the config file: one ResolvedEnv per for_each instance (one otherwise). */
async function loadEnv(options) {
    const cwd = options.cwd ?? process.cwd();
    const path = (0,external_node_path_.resolve)(cwd, configPath(options.config));
    let source;
    try {
        source = await (0,promises_.readFile)(path, "utf8");
    }
    catch (err) {
        const code = err.code;
        const why = code === "ENOENT" ? "was not found" : `cannot be read (${code ?? err.message})`;
        throw (0,src_errors/* configError */.Fj)(`config file ${options.config} ${why} (looked at ${path})`);
    }
    // Messages name the file as the user would: relative to where they run, when it is below it.
    const rel = (0,external_node_path_.relative)(cwd, path);
    const shown = rel && !rel.startsWith("..") && !(0,external_node_path_.isAbsolute)(rel) ? rel : path;
    return resolveEnvFromSource(source, shown, {
        env: options.env,
        ...(options.vars ? { vars: options.vars } : {}),
        ...(options.getenv ? { getenv: options.getenv } : {}),
        baseDir: (0,external_node_path_.dirname)(path),
    });
}
/** `file://atlas.hcl`, `file:///abs/atlas.hcl` or a plain path -> a path (as Atlas joins host and path). */
function configPath(config) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(config);
    if (!m)
        return config;
    if (m[1].toLowerCase() !== "file") {
        throw (0,src_errors/* configError */.Fj)(`unsupported config URL ${JSON.stringify(config)}; expected file://<path>, e.g. file://atlas.hcl`);
    }
    return decodeURIComponent(m[2].replace(/[?#].*$/s, "")) || ".";
}
/** `--var k=v` (repeatable): a key given more than once becomes a list, as in Atlas. */
function parseVarFlags(flags) {
    const out = {};
    for (const flag of flags) {
        const eq = flag.indexOf("=");
        if (eq <= 0)
            throw (0,src_errors/* inputError */.Xu)(`--var ${JSON.stringify(flag)}: expected key=value, e.g. --var url=postgres://...`);
        const key = flag.slice(0, eq);
        const value = flag.slice(eq + 1);
        const prev = out[key];
        out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    }
    return out;
}

;// CONCATENATED MODULE: ./packages/core/src/config/index.ts




;// CONCATENATED MODULE: ./packages/core/src/dir/archive.ts
// Atlas's directory archive: the tar Go's archive/tar writes for atlas.sum then the .sql files, each
// header carrying only name, mode 0600 and size. Writing reproduces Go's bytes exactly (its SHA-256 is
// the directory's identity); reading trusts nothing and refuses anything but flat regular files.



const BLOCK = 512;
const NAME_SIZE = 100;
/** Default cap on the bytes of all entries together when reading an archive. */
const DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
const archive_encoder = new TextEncoder();
const archive_decoder = new TextDecoder("utf-8", { fatal: true });
// Header field offsets and sizes (POSIX ustar).
const F = {
    name: [0, 100],
    mode: [100, 8],
    uid: [108, 8],
    gid: [116, 8],
    size: [124, 12],
    mtime: [136, 12],
    chksum: [148, 8],
    typeflag: [156, 1],
    linkname: [157, 100],
    magic: [257, 6],
    version: [263, 2],
    uname: [265, 32],
    gname: [297, 32],
    devmajor: [329, 8],
    devminor: [337, 8],
    prefix: [345, 155],
};
// The writer is allocation-light: it plans every entry, allocates the archive once, and writes each
// header in place with plain byte stores (every string it writes is ASCII by construction).
/** Go's formatter.formatString for an ASCII string: copy, NUL-terminate when there is room, truncate. */
function putAscii(block, field, text) {
    const [off, size] = F[field];
    const n = Math.min(text.length, size);
    for (let i = 0; i < n; i++)
        block[off + i] = text.charCodeAt(i);
    if (text.length < size)
        block[off + text.length] = 0;
}
/** Go's formatter.formatOctal: zero-padded octal digits and a NUL in the last byte. */
function putOctal(block, field, value, size = F[field][1]) {
    const width = size - 1;
    if (value >= 8 ** width) {
        // Does not fit (never for a migration directory): Go's digits, truncated as formatString does.
        putAscii(block, field, value.toString(8));
        return;
    }
    const off = F[field][0];
    let v = value;
    for (let i = width - 1; i >= 0; i--) {
        block[off + i] = 0x30 + (v % 8);
        v = Math.floor(v / 8);
    }
    block[off + width] = 0;
}
/** The header checksum with the chksum field read as spaces: as unsigned and as signed bytes. */
function checksumOf(block) {
    const [from, width] = F.chksum;
    let unsigned = 0;
    let high = 0; // bytes >= 128, each 256 less when signed
    for (let i = 0; i < BLOCK; i++) {
        if (i === from) {
            unsigned += width * 0x20;
            i += width - 1;
            continue;
        }
        const c = block[i];
        unsigned += c;
        if (c >= 128)
            high++;
    }
    return { unsigned, signed: unsigned - 256 * high };
}
const USTAR_MAGIC = archive_encoder.encode("ustar\0");
const USTAR_VERSION = archive_encoder.encode("00");
/** Go's block.setFormat for USTAR/PAX: the magic, then the checksum as 6 octal digits, NUL, space. */
function seal(block) {
    block.set(USTAR_MAGIC, F.magic[0]);
    block.set(USTAR_VERSION, F.version[0]);
    putOctal(block, "chksum", checksumOf(block).unsigned, 7);
    block[F.chksum[0] + 7] = 0x20;
}
const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);
const toAscii = (s) => s.replace(/[^\x00-\x7f]/g, "");
/** Go's formatPAXRecord: "<len> <key>=<value>\n", where len counts itself. */
function paxRecord(key, value) {
    const body = ` ${key}=${value}\n`;
    const bodyLen = archive_encoder.encode(body).length;
    let size = bodyLen + String(bodyLen).length;
    if (String(size).length + bodyLen !== size)
        size = String(size).length + bodyLen;
    return `${size}${body}`;
}
/**
 * One regular-file header as Go's templateV7Plus writes it (uid/gid/mtime 0, empty user and group),
 * into a zeroed 512-byte block. `name` is ASCII.
 */
function writeHeader(block, name, size, typeflag, mode, devNumbers) {
    putAscii(block, "name", name);
    putOctal(block, "mode", mode);
    putOctal(block, "uid", 0);
    putOctal(block, "gid", 0);
    putOctal(block, "size", size);
    putOctal(block, "mtime", 0);
    block[F.typeflag[0]] = typeflag;
    if (devNumbers) {
        putOctal(block, "devmajor", 0);
        putOctal(block, "devminor", 0);
    }
    seal(block);
}
const TYPE_REG = 0x30; // '0'
const TYPE_PAX = 0x78; // 'x'
/** Go's writer falls back to PAX exactly when the name is not ASCII or longer than 100 bytes. */
function planEntry(name, data) {
    if (name.includes("\0"))
        throw new src_errors/* RelayError */.cx("input", `cannot archive "${name}": the name contains NUL`);
    // For an ASCII name, bytes and UTF-16 units agree; a non-ASCII one takes PAX either way.
    if (name.length > NAME_SIZE || !isAscii(name)) {
        return { name, data, pax: archive_encoder.encode(paxRecord("path", name)) };
    }
    return { name, data };
}
/** Data is padded with zeros to whole blocks. */
const blocks = (n) => Math.ceil(n / BLOCK) * BLOCK;
const entrySize = (e) => BLOCK + blocks(e.data.length) + (e.pax ? BLOCK + blocks(e.pax.length) : 0);
/** Writes one entry at `at` of a zeroed buffer; returns where the next one starts. */
function writeEntry(out, at, e) {
    let next = at;
    let name = e.name;
    if (e.pax) {
        const paxName = toAscii(`PaxHeaders.0/${e.name}`).slice(0, NAME_SIZE).replace(/\/+$/, "");
        writeHeader(out.subarray(next, next + BLOCK), paxName, e.pax.length, TYPE_PAX, 0, false);
        next += BLOCK;
        out.set(e.pax, next);
        next += blocks(e.pax.length);
        name = toAscii(e.name);
    }
    writeHeader(out.subarray(next, next + BLOCK), name, e.data.length, TYPE_REG, 0o600, true);
    next += BLOCK;
    out.set(e.data, next);
    return next + blocks(e.data.length);
}
/** Atlas's directory archive: a POSIX tar byte-identical to Go's archive/tar output. */
function archiveDir(dir) {
    const entries = [];
    if (dir.sum)
        entries.push(planEntry(SUM_FILE, dir.sum));
    for (const f of sortFiles(dir.files))
        entries.push(planEntry(f.name, f.content));
    let total = 2 * BLOCK; // the end-of-archive marker: two zero blocks
    for (const e of entries)
        total += entrySize(e);
    const out = new Uint8Array(total);
    let at = 0;
    for (const e of entries)
        at = writeEntry(out, at, e);
    return out;
}
const refuse = (message) => new src_errors/* RelayError */.cx("integrity", `archive: ${message}`);
/** A NUL-terminated header string; bytes after the terminator must be NUL too (no hidden suffix). */
function readString(block, field, entry) {
    const [off, size] = F[field];
    const raw = block.subarray(off, off + size);
    const end = raw.indexOf(0);
    if (end !== -1 && raw.subarray(end).some((b) => b !== 0)) {
        throw refuse(`entry ${entry}: the ${field} field has bytes hidden after a NUL`);
    }
    try {
        return archive_decoder.decode(end === -1 ? raw : raw.subarray(0, end));
    }
    catch {
        throw refuse(`entry ${entry}: the ${field} field is not valid UTF-8`);
    }
}
function readOctal(block, field, entry) {
    const [off, size] = F[field];
    const raw = block.subarray(off, off + size);
    if (raw[0] & 0x80)
        throw refuse(`entry ${entry}: base-256 ${field} is not supported`);
    const text = String.fromCharCode(...raw)
        .replace(/\0.*$/s, "")
        .trim();
    if (text === "")
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw refuse(`entry ${entry}: the ${field} field "${text}" is not octal`);
    return Number.parseInt(text, 8);
}
/** Parses PAX records; only `path` (and a `size` override) matter for a flat directory. */
function parsePax(data, entry) {
    const records = new Map();
    let text;
    try {
        text = archive_decoder.decode(data);
    }
    catch {
        throw refuse(`entry ${entry}: PAX header is not valid UTF-8`);
    }
    let at = 0;
    while (at < text.length) {
        const sp = text.indexOf(" ", at);
        const len = sp === -1 ? Number.NaN : Number(text.slice(at, sp));
        // The length counts bytes; records here are ASCII-safe once decoded, so measure in bytes.
        const rest = archive_encoder.encode(text.slice(at));
        if (!Number.isInteger(len) || len <= sp - at + 1 || len > rest.length) {
            throw refuse(`entry ${entry}: malformed PAX record`);
        }
        const record = archive_decoder.decode(rest.subarray(0, len));
        if (!record.endsWith("\n"))
            throw refuse(`entry ${entry}: malformed PAX record`);
        const kv = record.slice(record.indexOf(" ") + 1, -1);
        const eq = kv.indexOf("=");
        if (eq <= 0)
            throw refuse(`entry ${entry}: malformed PAX record`);
        records.set(kv.slice(0, eq), kv.slice(eq + 1));
        at += record.length;
    }
    return records;
}
function checkName(name, entry) {
    if (name.includes("\0"))
        throw refuse(`entry ${entry}: the name contains NUL`);
    if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) {
        throw refuse(`entry ${entry}: absolute name "${name}" is not allowed`);
    }
    if (name.split(/[/\\]/).includes(".."))
        throw refuse(`entry ${entry}: name "${name}" leaves the directory`);
    if (!isPlainName(name))
        throw refuse(`entry ${entry}: name "${name}" is not a flat file name`);
}
const TYPE_NAMES = {
    "1": "hard link",
    "2": "symbolic link",
    "3": "character device",
    "4": "block device",
    "5": "directory",
    "6": "FIFO",
    "7": "contiguous file",
    g: "PAX global header",
    L: "GNU long name",
    K: "GNU long link name",
};
/** Reads an archive back; refuses traversal, absolute or odd names, duplicates, links, oversize. */
function unarchiveDir(bytes, options = {}) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
    const files = [];
    const seen = new Set();
    let sum = null;
    let total = 0;
    let at = 0;
    let entry = 0;
    let pax = null;
    for (;;) {
        // Like Go's reader, the end-of-archive marker may be missing: Atlas's own ArchiveDir returns its
        // bytes before the deferred Close writes it (and the last entry's padding). What was cut off at
        // an entry boundary shows when atlas.sum is validated; it is written first.
        if (at === bytes.length) {
            if (pax)
                throw refuse("truncated: a PAX header is not followed by an entry");
            break;
        }
        if (at + BLOCK > bytes.length)
            throw refuse(`truncated header at byte ${at}`);
        const block = bytes.subarray(at, at + BLOCK);
        if (block.every((b) => b === 0)) {
            if (pax)
                throw refuse("truncated: a PAX header is not followed by an entry");
            // End of archive. Like Go's reader: a second block, when present, must be zero too; what
            // follows the marker (record padding) is ignored.
            const second = bytes.subarray(at + BLOCK, at + 2 * BLOCK);
            if (second.some((b) => b !== 0))
                throw refuse("an entry follows a zero block");
            break;
        }
        entry++;
        const stored = readOctal(block, "chksum", entry);
        const { unsigned, signed } = checksumOf(block);
        if (stored !== unsigned && stored !== signed)
            throw refuse(`entry ${entry}: header checksum mismatch`);
        const typeflag = String.fromCharCode(block[F.typeflag[0]]);
        let size = readOctal(block, "size", entry);
        const headerPax = pax;
        pax = null;
        if (headerPax?.has("size")) {
            const s = headerPax.get("size");
            if (!/^[0-9]+$/.test(s))
                throw refuse(`entry ${entry}: PAX size "${s}" is not a number`);
            size = Number(s);
        }
        if (size > maxBytes || total + size > maxBytes) {
            throw refuse(`entries exceed the limit of ${maxBytes} bytes (entry ${entry} has ${size})`);
        }
        total += size;
        const dataStart = at + BLOCK;
        const dataEnd = dataStart + size;
        const next = Math.min(dataStart + Math.ceil(size / BLOCK) * BLOCK, bytes.length);
        if (dataEnd > bytes.length) {
            throw refuse(`truncated: entry ${entry} needs ${size} bytes of data, ${bytes.length - dataStart} remain`);
        }
        const data = new Uint8Array(bytes.subarray(dataStart, dataEnd)); // a copy, even of a Buffer
        at = next;
        if (typeflag === "x") {
            pax = parsePax(data, entry);
            continue;
        }
        const magic = String.fromCharCode(...block.subarray(F.magic[0], F.magic[0] + 6));
        const prefix = magic === "ustar\0" ? readString(block, "prefix", entry) : "";
        let name = readString(block, "name", entry);
        if (prefix !== "")
            name = `${prefix}/${name}`;
        if (headerPax?.has("path"))
            name = headerPax.get("path");
        if (typeflag !== "0" && typeflag !== "\0") {
            const kind = TYPE_NAMES[typeflag] ?? `type '${typeflag}'`;
            throw refuse(`entry ${entry} ("${name}") is a ${kind}; only regular files are allowed`);
        }
        checkName(name, entry);
        if (seen.has(name))
            throw refuse(`"${name}" appears twice`);
        seen.add(name);
        if (name === SUM_FILE)
            sum = data;
        else if (name.endsWith(".sql"))
            files.push(migrationFile(name, data));
        // Anything else is not part of a migration directory (Atlas ignores it too).
    }
    return { files: sortFiles(files), sum };
}
/** `sha256:<hex>` of the archive bytes: the directory's identity. */
function digestOf(bytes) {
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

;// CONCATENATED MODULE: ./packages/core/src/dir/index.ts







// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./packages/core/src/grant/grant.ts
// The license grant (DESIGN §6): the record of the last time the registry accepted this token.
// While the registry cannot be reached, atlas:// work goes on only under an unexpired grant for the
// same token and registry. Only a hash prefix of the token is kept, never the token.




const DEFAULT_GRANT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The folder the actions cache and other CI systems should keep between runs. */
function defaultGrantDir(env = process.env) {
    const home = env.MIGRATE_RELAY_HOME || (0,external_node_path_.join)((0,external_node_os_.homedir)(), ".migrate-relay");
    return (0,external_node_path_.join)(home, "grants");
}
/** The token's public identity: first 16 hex of its SHA-256 (also the actions' cache key part). */
const tokenSha256 = (token) => (0,external_node_crypto_.createHash)("sha256").update(token).digest("hex").slice(0, 16);
class GrantStore {
    dir;
    ttlMs;
    now;
    /** Whether any grant file was written or deleted: the actions save their cache only then. */
    changed = false;
    constructor(options = {}) {
        this.dir = options.dir ?? defaultGrantDir(options.env);
        this.ttlMs = options.ttlMs ?? DEFAULT_GRANT_TTL_MS;
        this.now = options.now ?? (() => new Date());
    }
    file(registry, token) {
        const registryId = (0,external_node_crypto_.createHash)("sha256").update(registry).digest("hex").slice(0, 16);
        return (0,external_node_path_.join)(this.dir, `${tokenSha256(token)}-${registryId}.json`);
    }
    async check(registry, token) {
        let grant;
        try {
            grant = JSON.parse(await (0,promises_.readFile)(this.file(registry, token), "utf8"));
        }
        catch (err) {
            return {
                ok: false,
                reason: err.code === "ENOENT" ? "missing" : "unreadable",
            };
        }
        const expires = Date.parse(grant.expiresAt);
        // The file name already binds token and registry; the fields guard against a copied file.
        if (grant.registry !== registry || grant.tokenSha256 !== tokenSha256(token) || Number.isNaN(expires)) {
            return { ok: false, reason: "unreadable" };
        }
        if (expires <= this.now().getTime())
            return { ok: false, reason: "expired", grant };
        return { ok: true, grant };
    }
    /** Records a successful authenticated registry call. */
    async refresh(registry, token, org) {
        const now = this.now();
        const grant = {
            registry,
            tokenSha256: tokenSha256(token),
            ...(org ? { org } : {}),
            verifiedAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
        };
        const path = this.file(registry, token);
        const temp = `${path}.tmp-${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
        await (0,promises_.mkdir)(this.dir, { recursive: true, mode: 0o700 });
        await (0,promises_.writeFile)(temp, `${JSON.stringify(grant, null, 2)}\n`, { mode: 0o600 });
        await (0,promises_.rename)(temp, path);
        this.changed = true;
        return grant;
    }
    /** The registry refused the token (401/403): no grant may outlive that. */
    async revoke(registry, token) {
        const path = this.file(registry, token);
        try {
            await (0,promises_.rm)(path);
            this.changed = true;
            return true;
        }
        catch {
            return false;
        }
    }
    /** Why atlas:// work cannot go on without the registry, and how to fix it. */
    explain(check, registry, cause) {
        const state = check.reason === "expired"
            ? `the license grant expired at ${check.grant?.expiresAt}`
            : check.reason === "unreadable"
                ? "the license grant file is unreadable"
                : "there is no license grant for this token";
        const reason = cause.startsWith(`registry ${registry}: `) ? cause.slice(registry.length + 11) : cause;
        return (`registry ${registry} cannot be reached (${reason}) and ${state} in ${this.dir}: ` +
            "run once while the registry is reachable to record a grant, or restore the cached grant directory " +
            "(actions/cache of ~/.migrate-relay/grants, or --grant-dir / MIGRATE_RELAY_HOME)");
    }
}

;// CONCATENATED MODULE: ./packages/core/src/grant/index.ts


// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(7067);
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __nccwpck_require__(4708);
var external_node_https_default = /*#__PURE__*/__nccwpck_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./packages/core/src/replica/http.ts
// A minimal HTTP(S) POST with separate connect and total timeouts and errors classified for the
// relay. node:http instead of fetch because fetch cannot bound the connect phase on its own.



const MAX_ANSWER_BYTES = 512 * 1024 * 1024;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** Network-level failures become `unreachable` (eligible for fallback); `label` names the target. */
function networkError(label, err) {
    const code = err.code ?? "";
    const what = code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ECONNRESET" || code === "EPIPE"
            ? "connection reset"
            : code === "ENOTFOUND" || code === "EAI_AGAIN"
                ? "DNS lookup failed"
                : code === "EHOSTUNREACH" || code === "ENETUNREACH"
                    ? "host unreachable"
                    : `network error${code ? ` (${code})` : ""}`;
    return new src_errors/* RelayError */.cx("unreachable", `${label}: ${what}`);
}
function postJson(url, body, headers, timeouts, signal, label) {
    return new Promise((resolve, reject) => {
        const payload = Buffer.from(body);
        const lib = url.protocol === "https:" ? (external_node_https_default()) : (external_node_http_default());
        let settled = false;
        const timers = [];
        const finish = (err, answer) => {
            if (settled)
                return;
            settled = true;
            for (const t of timers)
                clearTimeout(t);
            signal.removeEventListener("abort", onAbort);
            if (err) {
                req.destroy();
                reject(err);
            }
            else
                resolve(answer);
        };
        const onAbort = () => finish(new src_errors/* RelayError */.cx("unreachable", `${label}: ${abortReason(signal)}`, { cause: signal.reason }));
        const req = lib.request(url, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json", "content-length": payload.length },
        });
        timers.push(setTimeout(() => finish(new src_errors/* RelayError */.cx("unreachable", `${label}: timeout after ${seconds(timeouts.totalMs)}`)), timeouts.totalMs));
        req.on("socket", (socket) => {
            if (!socket.connecting)
                return;
            const t = setTimeout(() => finish(new src_errors/* RelayError */.cx("unreachable", `${label}: connect timeout after ${seconds(timeouts.connectMs)}`)), timeouts.connectMs);
            timers.push(t);
            socket.once("connect", () => clearTimeout(t));
        });
        req.on("error", (err) => finish(networkError(label, err)));
        req.on("response", (res) => {
            const chunks = [];
            let size = 0;
            res.on("data", (chunk) => {
                size += chunk.length;
                if (size > MAX_ANSWER_BYTES) {
                    finish(new src_errors/* RelayError */.cx("integrity", `${label}: answer larger than ${MAX_ANSWER_BYTES} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            res.on("error", (err) => finish(networkError(label, err)));
            res.on("aborted", () => finish(new src_errors/* RelayError */.cx("unreachable", `${label}: connection reset while reading`)));
            res.on("end", () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        });
        if (signal.aborted)
            return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        req.end(payload);
    });
}
/** Why a signal fired, in words: the relay aborts with a TimeoutError when a target's time is up. */
function abortReason(signal) {
    const reason = signal.reason;
    if (reason?.name === "TimeoutError")
        return reason.message?.startsWith("timeout") ? reason.message : "timeout";
    return reason?.message ? `aborted (${reason.message})` : "aborted";
}
/** A signal that aborts after `ms` with a readable "timeout after N s" reason, or with `parent`. */
function deadlineSignal(ms, parent) {
    const controller = new AbortController();
    const timer = setTimeout(() => {
        const reason = new Error(`timeout after ${seconds(ms)}`);
        reason.name = "TimeoutError";
        controller.abort(reason);
    }, ms);
    const onParent = () => controller.abort(parent?.reason);
    if (parent?.aborted)
        onParent();
    else
        parent?.addEventListener("abort", onParent, { once: true });
    return {
        signal: controller.signal,
        clear: () => {
            clearTimeout(timer);
            parent?.removeEventListener("abort", onParent);
        },
    };
}

;// CONCATENATED MODULE: ./packages/core/src/replica/cloud.ts
// The cloud registry (atlas://): the GraphQL operations the Atlas CLI uses (DESIGN §5).



const DEFAULT_CLOUD_URL = "https://api.atlasgo.cloud/query";
const DIR_STATE = "query dirState($input: DirStateInput!) { dirState(input: $input) { content } }";
const PUSH_DIR = "mutation pushDir($input: PushDirInput!) { pushDir(input: $input) { url } }";
/** Cuts a server's answer for an error message: enough to act on, never a whole page. */
const cut = (text) => {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
};
function graphQLErrors(body) {
    try {
        const parsed = JSON.parse(body);
        if (!Array.isArray(parsed.errors) || parsed.errors.length === 0)
            return undefined;
        return {
            text: parsed.errors.map((e) => String(e?.message ?? "unknown error")).join("; "),
            codes: parsed.errors.map((e) => String(e?.extensions?.code ?? "").toUpperCase()),
        };
    }
    catch {
        return undefined;
    }
}
const NOT_FOUND_CODES = ["NOT_FOUND"];
const UNAUTHORIZED_CODES = ["UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN"];
class CloudReplica {
    options;
    kind = "cloud";
    display;
    ref;
    /** The endpoint as shown and as the grant's key (no credentials). */
    registry;
    endpoint;
    constructor(options) {
        this.options = options;
        this.endpoint = new URL(options.endpoint);
        this.registry = redactUrl(options.endpoint);
        this.ref = options.ref;
        const query = !options.ref
            ? ""
            : "tag" in options.ref
                ? `?tag=${options.ref.tag}`
                : `?version=${options.ref.version}`;
        this.display = `atlas://${options.slug}${query}`;
    }
    /** The token, for the grant store only (it hashes it); never printed. */
    get token() {
        return this.options.token;
    }
    get slug() {
        return this.options.slug;
    }
    async publish(state, options) {
        const base64 = Buffer.from(state.archive).toString("base64");
        const data = await this.call(PUSH_DIR, { input: { slug: this.options.slug, tag: state.tag, driver: "POSTGRESQL", dir: base64 } }, options.signal);
        const link = typeof data.pushDir?.url === "string" ? data.pushDir.url : "";
        return { bytes: state.archive.length, skipped: false, link };
    }
    async fetch(ref, signal) {
        const input = "tag" in ref
            ? { slug: this.options.slug, tag: ref.tag }
            : { slug: this.options.slug, version: ref.version };
        const data = await this.call(DIR_STATE, { input }, signal);
        const content = data.dirState?.content;
        if (typeof content !== "string" || content === "") {
            throw new src_errors/* RelayError */.cx("not-found", `${this.display}: ${cloud_describe(ref)} not found`);
        }
        return { archive: new Uint8Array(Buffer.from(content, "base64")) };
    }
    async call(query, variables, signal) {
        const label = `registry ${this.registry}`;
        const answer = await postJson(this.endpoint, JSON.stringify({ query, variables }), { authorization: `Bearer ${this.options.token}`, accept: "application/json" }, this.options.timeouts, signal, label);
        return this.interpret(answer, label);
    }
    interpret(answer, label) {
        const { status, body } = answer;
        if (status === 401 || status === 403) {
            throw new src_errors/* RelayError */.cx("unauthorized", `${label} refused the token (HTTP ${status}): check the cloud token (--cloud-token / ATLAS_TOKEN)`);
        }
        const errors = graphQLErrors(body);
        if (status !== 200) {
            const detail = errors ? errors.text : `unexpected status ${status}: ${cut(body)}`;
            // 5xx and 429 say "try later / elsewhere"; any other status is a request we got wrong.
            const kind = status >= 500 || status === 429 ? "unreachable" : "input";
            throw new src_errors/* RelayError */.cx(kind, `${label}: HTTP ${status}: ${cut(detail)}`);
        }
        if (errors) {
            const { text, codes } = errors;
            const kind = codes.some((c) => NOT_FOUND_CODES.includes(c)) || /not.?found|no such|does not exist/i.test(text)
                ? "not-found"
                : codes.some((c) => UNAUTHORIZED_CODES.includes(c)) ||
                    /unauthori[sz]ed|unauthenticated|forbidden|permission denied/i.test(text)
                    ? "unauthorized"
                    : "input";
            throw new src_errors/* RelayError */.cx(kind, `${label}: ${cut(text)}`);
        }
        try {
            const parsed = JSON.parse(body);
            if (parsed.data && typeof parsed.data === "object")
                return parsed.data;
        }
        catch {
            /* fall through */
        }
        throw new src_errors/* RelayError */.cx("integrity", `${label}: answer is not GraphQL JSON: ${cut(body)}`);
    }
}
const cloud_describe = (ref) => ("tag" in ref ? `tag "${ref.tag}"` : `version "${ref.version}"`);

;// CONCATENATED MODULE: ./packages/core/src/replica/names.ts

// Slugs, tags and versions end up in object keys, file names and URLs: a small alphabet keeps them
// safe everywhere (no `/`, no `..`, no spaces).
const NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_TAG = 128;
function names_checkName(what, value, max) {
    if (value === "")
        throw (0,src_errors/* inputError */.Xu)(`${what} is empty`);
    if (value.length > max)
        throw (0,src_errors/* inputError */.Xu)(`${what} "${value.slice(0, 40)}..." is longer than ${max} characters`);
    if (!NAME.test(value) || value === "." || value === "..") {
        throw (0,src_errors/* inputError */.Xu)(`${what} "${value}" may contain only letters, digits, "-", "_" and "."`);
    }
    return value;
}
/** A repository name (registry slug, folder in blob layouts). */
const checkSlug = (slug) => names_checkName("repository name", slug, 255);
/** A tag: up to 128 letters, digits, `-`, `_`, `.`. */
const checkTag = (tag) => names_checkName("tag", tag, MAX_TAG);
/** A migration version as used in versions/<v>.json. */
const checkVersion = (version) => names_checkName("version", version, 255);

;// CONCATENATED MODULE: ./packages/core/src/relay/state.ts




const sha256Digest = (bytes) => `sha256:${(0,external_node_crypto_.createHash)("sha256").update(bytes).digest("hex")}`;
/** Validates the directory and builds the one archive every target receives. */
function buildState(dir, options) {
    const repo = checkSlug(options.repo);
    const tag = checkTag(options.tag ?? "latest");
    const last = dir.files.at(-1);
    if (!last)
        throw (0,src_errors/* inputError */.Xu)("nothing to push: the migration directory has no .sql files");
    validateDir(dir);
    const archive = archiveDir(dir);
    return {
        repo,
        archive,
        digest: sha256Digest(archive),
        version: last.version,
        sum: dir.sum ? Buffer.from(dir.sum).toString("utf8") : "",
        files: dir.files.length,
        tag,
        latest: options.latest ?? true,
        force: options.force ?? false,
        ...(options.source ? { source: options.source } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/relay/target.ts
// One replica's turn: a deadline over the whole turn, bounded retries on eligible errors only,
// and every failure turned into a RelayError whose text is safe to print.


/** Errors after which another attempt, or another replica, may succeed (DESIGN §4). */
const ELIGIBLE = ["unreachable", "not-found", "integrity", "conflict"];
const isEligible = (err) => ELIGIBLE.includes(err.kind);
/** Worth another attempt at the same replica: a missing tag or bad content will not fix itself. */
const RETRYABLE = ["unreachable", "conflict"];
/** Credentials the AWS SDK may hold from the environment; never expected in a message, masked anyway. */
const ENV_SECRET_NAMES = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ATLAS_TOKEN"];
function envSecrets(env = process.env) {
    return ENV_SECRET_NAMES.map((name) => env[name]).filter((v) => !!v);
}
/** Replaces every secret in a text with ***: the last line of defence for logs and results. */
function target_scrub(text, secrets) {
    let out = text;
    for (const s of secrets)
        if (s.length >= 4)
            out = out.split(s).join("***");
    return out;
}
function target_asRelayError(err, signal) {
    if (signal.aborted) {
        const reason = signal.reason;
        if (!(err instanceof src_errors/* RelayError */.cx) || err.kind !== "unreachable") {
            return new src_errors/* RelayError */.cx("unreachable", `${reason?.message ?? "aborted"}`);
        }
    }
    if (err instanceof src_errors/* RelayError */.cx)
        return err;
    return new src_errors/* RelayError */.cx("unreachable", (0,src_errors/* messageOf */.bD)(err));
}
/** Drops a leading "<display>: " so results do not repeat the URL they sit beside. */
const local = (replica, message) => message.startsWith(`${replica.display}: `) ? message.slice(replica.display.length + 2) : message;
const sleep = (ms, signal) => new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
    }, { once: true });
});
async function runTarget(replica, limits, secrets, work) {
    const started = performance.now();
    const deadline = deadlineSignal(limits.timeoutMs, limits.signal);
    let attempts = 0;
    try {
        for (;;) {
            attempts++;
            try {
                const value = await work(deadline.signal);
                return { value, attempts, ms: performance.now() - started };
            }
            catch (err) {
                const error = target_asRelayError(err, deadline.signal);
                const retry = attempts <= limits.retries && RETRYABLE.includes(error.kind) && !deadline.signal.aborted;
                if (!retry) {
                    const safe = new src_errors/* RelayError */.cx(error.kind, target_scrub(local(replica, error.message), secrets));
                    return { error: safe, attempts, ms: performance.now() - started };
                }
                await sleep(100 * 2 ** (attempts - 1), deadline.signal);
            }
        }
    }
    finally {
        deadline.clear();
    }
}

;// CONCATENATED MODULE: ./packages/core/src/relay/pull.ts
// Fallback read: the primary (registry) first, then each backup in order; nothing unverified is
// returned (DESIGN §4).







const DEFAULT_PULL_TIMEOUT_MS = 10_000;
/** The next replica is the retry: a refused registry should cost milliseconds, not a backoff. */
const DEFAULT_PULL_RETRIES = 0;
/** Every replica failed, or one failed in a way that forbids falling back. */
class PullError extends src_errors/* RelayError */.cx {
    trail;
    grantChanged;
    constructor(kind, message, trail, grantChanged) {
        super(kind, message);
        this.trail = trail;
        this.grantChanged = grantChanged;
        this.name = "PullError";
    }
}
/** Digest equals the manifest's (blob replicas), the archive unpacks, atlas.sum validates. */
function verify(fetched, maxBytes) {
    if (fetched.archive.length > maxBytes) {
        throw new src_errors/* RelayError */.cx("integrity", `archive of ${fetched.archive.length} bytes exceeds the ${maxBytes}-byte limit`);
    }
    const digest = sha256Digest(fetched.archive);
    if (fetched.digest && fetched.digest !== digest) {
        throw new src_errors/* RelayError */.cx("integrity", `archive digest ${digest} does not match the manifest's ${fetched.digest}`);
    }
    let dir;
    try {
        dir = unarchiveDir(fetched.archive, { maxBytes });
    }
    catch (err) {
        throw new src_errors/* RelayError */.cx("integrity", `archive cannot be read: ${(0,src_errors/* messageOf */.bD)(err)}`);
    }
    try {
        validateDir(dir);
    }
    catch (err) {
        throw new src_errors/* RelayError */.cx("integrity", `atlas.sum does not validate: ${(0,src_errors/* messageOf */.bD)(err)}`);
    }
    const note = fetched.digest ? "digest verified, atlas.sum valid" : "atlas.sum valid";
    return { dir, digest, note };
}
async function pull(replicas, options = {}) {
    if (replicas.length === 0)
        throw new src_errors/* RelayError */.cx("config", "nothing to read from: no registry and no backups");
    const ref = options.ref ?? replicas[0].ref ?? { tag: "latest" };
    if ("tag" in ref)
        checkTag(ref.tag);
    else
        checkVersion(ref.version);
    const limits = {
        timeoutMs: options.timeoutMs ?? DEFAULT_PULL_TIMEOUT_MS,
        retries: options.retries ?? DEFAULT_PULL_RETRIES,
        ...(options.signal ? { signal: options.signal } : {}),
    };
    const maxBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
    const registry = replicas[0] instanceof CloudReplica ? replicas[0] : undefined;
    const grants = registry ? (options.grants ?? new GrantStore()) : undefined;
    const secrets = [...(options.secrets ?? []), ...envSecrets(), ...(registry ? [registry.token] : [])];
    const trail = [];
    const fail = (kind, message) => new PullError(kind, target_scrub(message, secrets), trail, grants?.changed ?? false);
    for (const replica of replicas) {
        const outcome = await runTarget(replica, limits, secrets, async (signal) => verify(await replica.fetch(ref, signal), maxBytes));
        const attempt = {
            url: replica.display,
            kind: replica.kind,
            outcome: outcome.value ? "ok" : "failed",
            ms: Math.round(outcome.ms),
        };
        if (outcome.value)
            attempt.note = outcome.value.note;
        const error = outcome.error;
        if (error) {
            attempt.error = error.message;
            attempt.errorKind = error.kind;
            attempt.eligible = isEligible(error);
        }
        trail.push(attempt);
        let reported = false;
        const report = () => {
            if (!reported)
                options.onAttempt?.(attempt);
            reported = true;
        };
        if (replica === registry && grants) {
            if (error?.kind === "unauthorized") {
                await grants.revoke(registry.registry, registry.token);
                report();
                throw fail("unauthorized", `${error.message}; not falling back to the backups (a refused token must not deploy), and the license grant was deleted`);
            }
            if (error?.kind === "unreachable") {
                // Without the registry, only an unexpired grant for this token lets the backups stand in.
                const check = await grants.check(registry.registry, registry.token);
                if (!check.ok) {
                    report();
                    throw fail("unauthorized", grants.explain(check, registry.registry, error.message));
                }
                attempt.note = `license grant valid until ${check.grant.expiresAt}`;
            }
            else if (!error || error.kind === "not-found" || error.kind === "integrity") {
                // A grant that cannot be written costs the next offline run, not this read: warn only.
                await grants.refresh(registry.registry, registry.token).catch((err) => {
                    attempt.note = `could not record the license grant in ${grants.dir}: ${(0,src_errors/* messageOf */.bD)(err)}`;
                });
            }
        }
        report();
        if (outcome.value) {
            const { dir, digest } = outcome.value;
            return {
                dir,
                digest,
                version: dir.files.at(-1)?.version ?? "",
                source: replica.display,
                ref,
                trail,
                grantChanged: grants?.changed ?? false,
            };
        }
        if (error && !isEligible(error)) {
            throw fail(error.kind, `${replica.display}: ${error.message}; not falling back (fix this replica's configuration)`);
        }
    }
    const kinds = new Set(trail.map((a) => a.errorKind));
    const kind = kinds.size === 1 ? [...kinds][0] : "unreachable";
    const lines = trail.map((a) => `  ${a.url}: ${a.error}`);
    throw fail(kind, `could not read ${cloud_describe(ref)} from any replica:\n${lines.join("\n")}`);
}

;// CONCATENATED MODULE: ./packages/core/src/relay/push.ts





const DEFAULT_PUSH_TIMEOUT_MS = 60_000;
const DEFAULT_PUSH_RETRIES = 2;
function toAtlasJson(result) {
    return {
        Slug: result.slug,
        URL: result.url,
        Link: result.link,
        Tag: result.tag,
        Digest: result.digest,
        Version: result.version,
        ...(result.targets[0]?.note ? { Note: result.targets[0].note } : {}),
        Backups: result.targets
            .filter((t) => t.role === "backup")
            .map((t) => ({
            URL: t.url,
            ...(t.ok ? {} : { Error: t.error ?? "failed" }),
            ...(t.note ? { Note: t.note } : {}),
        })),
    };
}
/**
 * Publishes `dir` to every replica; the first one is the primary (the registry when atlas://).
 * Without an unexpired grant, the backups wait for the registry: they are written only after it
 * answered, so a token the registry refuses never publishes anywhere.
 */
async function push(dir, replicas, options) {
    if (replicas.length === 0)
        throw new src_errors/* RelayError */.cx("config", "nothing to push to: no registry and no backups");
    const state = buildState(dir, options);
    const limits = {
        timeoutMs: options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS,
        retries: options.retries ?? DEFAULT_PUSH_RETRIES,
        ...(options.signal ? { signal: options.signal } : {}),
    };
    const registry = replicas[0] instanceof CloudReplica ? replicas[0] : undefined;
    const grants = registry ? (options.grants ?? new GrantStore()) : undefined;
    const secrets = [...(options.secrets ?? []), ...envSecrets(), ...(registry ? [registry.token] : [])];
    const licensed = registry && grants ? await grants.check(registry.registry, registry.token) : undefined;
    let link = "";
    const publishTo = async (replica, index) => {
        const outcome = await runTarget(replica, limits, secrets, (signal) => replica.publish(state, { signal }));
        const result = {
            url: replica.display,
            kind: replica.kind,
            role: index > 0 ? "backup" : registry ? "registry" : "primary",
            ok: outcome.value !== undefined,
            ms: Math.round(outcome.ms),
            bytes: outcome.value?.bytes ?? 0,
            attempts: outcome.attempts,
        };
        if (outcome.value) {
            const { skipped, latestMoved, note } = outcome.value;
            if (skipped)
                result.skipped = true;
            if (latestMoved !== undefined)
                result.latestMoved = latestMoved;
            if (note)
                result.note = target_scrub(note, secrets);
            if (outcome.value.link)
                link = outcome.value.link;
        }
        if (outcome.error) {
            result.error = outcome.error.message;
            result.errorKind = outcome.error.kind;
            if (replica === registry && outcome.error.kind === "unreachable" && licensed?.ok) {
                result.note = `continuing under the license grant valid until ${licensed.grant.expiresAt}`;
            }
        }
        options.onTarget?.(result);
        return result;
    };
    let targets;
    let failure;
    if (!registry || licensed?.ok) {
        targets = await Promise.all(replicas.map(publishTo));
    }
    else {
        const first = await publishTo(registry, 0);
        const cannotReach = first.errorKind === "unreachable";
        const refused = first.errorKind === "unauthorized";
        if ((cannotReach || refused) && licensed && !licensed.ok) {
            failure = refused
                ? `${first.error}; nothing was pushed to the backups`
                : grants.explain(licensed, registry.registry, first.error ?? "no answer");
            targets = [first, ...replicas.slice(1).map((r) => notAttempted(r, failure))];
        }
        else {
            targets = [first, ...(await Promise.all(replicas.slice(1).map((r, i) => publishTo(r, i + 1))))];
        }
    }
    const registryResult = registry ? targets[0] : undefined;
    if (registry && registryResult && grants) {
        if (registryResult.errorKind === "unauthorized") {
            await grants.revoke(registry.registry, registry.token);
            failure ??= `${registryResult.error}; the license grant was deleted`;
        }
        else if (registryResult.ok || answered(registryResult.errorKind)) {
            const warning = await grants.refresh(registry.registry, registry.token, orgOf(link)).then(() => undefined, (err) => `could not record the license grant in ${grants.dir}: ${(0,src_errors/* messageOf */.bD)(err)}`);
            if (warning)
                registryResult.note = warning;
        }
    }
    const okCount = targets.filter((t) => t.ok).length;
    if (!failure && okCount === 0)
        failure = "no target took the push";
    const ok = failure === undefined;
    return {
        ok,
        ...(failure ? { error: target_scrub(failure, secrets) } : {}),
        slug: state.repo,
        tag: state.tag,
        digest: state.digest,
        version: state.version,
        files: state.files,
        url: registry ? `atlas://${state.repo}?tag=${state.tag}` : replicas[0].display,
        link,
        targets,
        grantChanged: grants?.changed ?? false,
    };
}
/** The organization from a registry link, `https://<org>.atlasgo.cloud/dirs/...`. */
function orgOf(link) {
    return /^https:\/\/([a-z0-9-]+)\.atlasgo\.cloud\//i.exec(link)?.[1];
}
// The registry answered (so it accepted the token) even though the call failed.
const answered = (kind) => kind === "not-found" || kind === "integrity" || kind === "conflict";
function notAttempted(replica, why) {
    return {
        url: replica.display,
        kind: replica.kind,
        role: "backup",
        ok: false,
        error: `not attempted: ${why}`,
        errorKind: "unauthorized",
        ms: 0,
        bytes: 0,
        attempts: 0,
    };
}

;// CONCATENATED MODULE: ./packages/core/src/replica/manifest.ts
// Manifests (versions/<v>.json, tags/<t>.json) and the rule that keeps `latest` from moving back.

const DIGEST = /^sha256:[0-9a-f]{64}$/;
function manifestOf(state, now = new Date()) {
    const [sumLine = ""] = state.sum.split("\n");
    return {
        digest: state.digest,
        version: state.version,
        sum: sumLine,
        files: state.files,
        pushedAt: now.toISOString(),
        source: state.source ?? {},
    };
}
/** Parses a manifest read from a replica; anything odd is an integrity error (fall back). */
function parseManifest(bytes, where) {
    let value;
    try {
        value = JSON.parse(Buffer.from(bytes).toString("utf8"));
    }
    catch {
        throw new src_errors/* RelayError */.cx("integrity", `${where}: manifest is not JSON`);
    }
    if (typeof value !== "object" ||
        value === null ||
        typeof value.digest !== "string" ||
        !DIGEST.test(value.digest)) {
        throw new src_errors/* RelayError */.cx("integrity", `${where}: manifest has no valid "digest" (sha256:<64 hex>)`);
    }
    return {
        digest: value.digest,
        version: typeof value.version === "string" ? value.version : "",
        sum: typeof value.sum === "string" ? value.sum : "",
        files: typeof value.files === "number" ? value.files : 0,
        pushedAt: typeof value.pushedAt === "string" ? value.pushedAt : "",
        source: typeof value.source === "object" && value.source !== null ? value.source : {},
    };
}
const encodeManifest = (m) => Buffer.from(`${JSON.stringify(m)}\n`);
/** The per-file lines of an atlas.sum (the `h1:` total on line 1 and empty lines dropped). */
const fileLines = (sum) => sum
    .split("\n")
    .slice(1)
    .filter((l) => l !== "");
/**
 * Whether `next` extends `prev`: prev's file lines are a prefix of next's. atlas.sum hashes are
 * cumulative, so a matching prefix means every earlier file is byte-identical. Returns why not.
 */
function extendsSum(prev, next) {
    const a = fileLines(prev);
    const b = fileLines(next);
    for (let i = 0; i < a.length; i++) {
        const line = a[i];
        const name = line.slice(0, line.lastIndexOf(" "));
        if (i >= b.length)
            return { ok: false, why: `the new state lacks ${name}` };
        if (b[i] !== line) {
            const other = b[i].slice(0, b[i].lastIndexOf(" "));
            return {
                ok: false,
                why: other === name ? `${name} was edited` : `${name} is not in the same place (found ${other})`,
            };
        }
    }
    return { ok: true };
}

;// CONCATENATED MODULE: ./packages/core/src/replica/blob.ts
// The blob layout and write protocol of DESIGN §4, shared by the s3 and file replicas:
//   <base>archives/<sha256>.tar   immutable, content-addressed
//   <base>versions/<v>.json       manifest of the state whose last file is <v>
//   <base>tags/<tag>.json         manifest for a tag; tags/latest.json is the commit point, last





const CAS_ATTEMPTS = 8;
class BlobReplica {
    kind;
    display;
    store;
    base;
    constructor(kind, display, store, 
    /** Key prefix ending in "/" (or ""): the URL's prefix, then the repo name. */
    base) {
        this.kind = kind;
        this.display = display;
        this.store = store;
        this.base = base;
    }
    archiveKey = (digest) => `${this.base}archives/${digest.slice("sha256:".length)}.tar`;
    versionKey = (version) => `${this.base}versions/${checkVersion(version)}.json`;
    tagKey = (tag) => `${this.base}tags/${checkTag(tag)}.json`;
    /** Scratch key for the store's conditional-write probe: outside the layout readers follow. */
    probeKey = () => `${this.base}.probe/conditional-writes`;
    async publish(state, options) {
        const { signal } = options;
        const archiveKey = this.archiveKey(state.digest);
        const moveLatest = state.latest || state.tag === "latest";
        const latestKey = this.tagKey("latest");
        // Round trips are the cost on a real network: the existence check and the first read of
        // latest go together (compare-and-swap makes the early read safe), then the upload.
        // The conditional-write probe (once per store and process) rides along with them.
        const [present, latestBefore] = await Promise.all([
            this.store.exists(archiveKey, signal),
            moveLatest ? this.store.get(latestKey, signal) : Promise.resolve(null),
            moveLatest ? this.store.casCaveat?.(this.probeKey(), signal) : undefined,
        ]);
        // Content-addressed: the same directory is uploaded once, ever.
        const uploaded = present ? false : await this.store.putIfAbsent(archiveKey, state.archive, signal);
        await options.beforeCommit?.();
        const manifest = encodeManifest(manifestOf(state));
        await Promise.all([
            this.store.put(this.versionKey(state.version), manifest, signal),
            state.tag !== "latest" ? this.store.put(this.tagKey(state.tag), manifest, signal) : undefined,
        ]);
        const result = { bytes: uploaded ? state.archive.length : 0, skipped: !uploaded };
        if (!moveLatest)
            return result;
        const moved = await this.moveLatest(state, manifest, latestBefore, signal);
        return { ...result, ...moved };
    }
    /** Compare-and-swap loop on tags/latest.json: never backward, never a lost update. */
    async moveLatest(state, manifest, firstRead, signal) {
        const key = this.tagKey("latest");
        for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            const current = attempt === 0 ? firstRead : await this.store.get(key, signal);
            if (current) {
                let old;
                try {
                    old = parseManifest(current.body, `${this.display} tags/latest.json`);
                }
                catch (err) {
                    // Some S3-compatible servers (s3rver) let a GET see an object mid-write: read again.
                    if (attempt === CAS_ATTEMPTS - 1)
                        throw err;
                    await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
                    continue;
                }
                if (old.digest === state.digest)
                    return { latestMoved: true };
                if (!state.force) {
                    const why = await this.whyNotExtends(old, state, signal);
                    if (why)
                        return { latestMoved: false, note: `latest not moved: ${why}` };
                }
            }
            if (await this.store.putIfMatch(key, manifest, current?.etag ?? null, signal)) {
                // Answered from memory: the probe ran with the first reads.
                const caveat = await this.store.casCaveat?.(this.probeKey(), signal);
                return caveat ? { latestMoved: true, note: caveat } : { latestMoved: true };
            }
            // Someone moved latest between our read and write: read again and decide again.
        }
        throw new src_errors/* RelayError */.cx("conflict", `${this.display}: latest kept changing under ${CAS_ATTEMPTS} attempts; push again`);
    }
    /** Undefined when the new state extends the one latest points to; else the reason, in words. */
    async whyNotExtends(old, state, signal) {
        const at = `it points at version ${old.version || "?"} (${old.digest.slice(0, 19)})`;
        let oldSum;
        try {
            const blob = await this.store.get(this.archiveKey(old.digest), signal);
            if (!blob)
                return `${at}, whose archive is missing; use force to move it anyway`;
            const sum = unarchiveDir(blob.body).sum;
            oldSum = sum ? Buffer.from(sum).toString("utf8") : "";
        }
        catch (err) {
            if (signal.aborted)
                throw err;
            return `${at}, whose archive cannot be read (${(0,src_errors/* messageOf */.bD)(err)}); use force to move it anyway`;
        }
        const verdict = extendsSum(oldSum, state.sum);
        return verdict.ok
            ? undefined
            : `${at}, which the new state does not extend (${verdict.why}); use force for a deliberate rewrite`;
    }
    async fetch(ref, signal) {
        const key = "tag" in ref ? this.tagKey(ref.tag) : this.versionKey(ref.version);
        const blob = await this.store.get(key, signal);
        if (!blob)
            throw new src_errors/* RelayError */.cx("not-found", `${this.display}: ${cloud_describe(ref)} not found`);
        const manifest = parseManifest(blob.body, `${this.display} ${key.slice(this.base.length)}`);
        const archive = await this.store.get(this.archiveKey(manifest.digest), signal);
        if (!archive) {
            throw new src_errors/* RelayError */.cx("integrity", `${this.display}: archive ${manifest.digest} of ${cloud_describe(ref)} is missing`);
        }
        return { archive: archive.body, digest: manifest.digest, manifest };
    }
}

;// CONCATENATED MODULE: ./packages/core/src/replica/file.ts
// The file replica's store: a local or mounted directory. Every write goes to a temp file in the
// same folder and is renamed into place, so a reader sees the old file or the new one, never half.
// Compare-and-swap takes an exclusive lock file (O_CREAT|O_EXCL) beside the key: writers that all
// use this code exclude each other on a local disk and on NFSv3+; a lock older than STALE_LOCK_MS
// (a crashed writer) is broken.




const STALE_LOCK_MS = 30_000;
const LOCK_POLL_MS = 10;
const etagOf = (body) => (0,external_node_crypto_.createHash)("sha256").update(body).digest("hex");
function fsError(display, op, key, err) {
    const code = err.code ?? "";
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
        return new src_errors/* RelayError */.cx("unauthorized", `${display}: cannot ${op} ${key}: permission denied (${code})`);
    }
    if (code === "ENOSPC" || code === "EIO" || code === "ESTALE") {
        return new src_errors/* RelayError */.cx("unreachable", `${display}: cannot ${op} ${key} (${code})`);
    }
    return new src_errors/* RelayError */.cx("unreachable", `${display}: cannot ${op} ${key}: ${code || err.message}`);
}
class FileStore {
    root;
    display;
    constructor(root, display) {
        this.root = root;
        this.display = display;
    }
    path(key) {
        return (0,external_node_path_.join)(this.root, ...key.split("/"));
    }
    async get(key, signal) {
        signal.throwIfAborted();
        try {
            const body = new Uint8Array(await (0,promises_.readFile)(this.path(key), { signal }));
            return { body, etag: etagOf(body) };
        }
        catch (err) {
            if (err.code === "ENOENT")
                return null;
            if (signal.aborted)
                throw signal.reason;
            throw fsError(this.display, "read", key, err);
        }
    }
    async exists(key, signal) {
        signal.throwIfAborted();
        try {
            await (0,promises_.stat)(this.path(key));
            return true;
        }
        catch (err) {
            if (err.code === "ENOENT")
                return false;
            throw fsError(this.display, "stat", key, err);
        }
    }
    async put(key, body, signal) {
        signal.throwIfAborted();
        const target = this.path(key);
        const temp = `${target}.tmp-${process.pid}-${(0,external_node_crypto_.randomBytes)(6).toString("hex")}`;
        try {
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
            await (0,promises_.writeFile)(temp, body, { signal });
            await (0,promises_.rename)(temp, target);
        }
        catch (err) {
            await (0,promises_.rm)(temp, { force: true });
            if (signal.aborted)
                throw signal.reason;
            throw fsError(this.display, "write", key, err);
        }
    }
    async putIfAbsent(key, body, signal) {
        // Archives are content-addressed: a concurrent writer of the same key writes the same bytes,
        // so "exists, then rename" is enough.
        if (await this.exists(key, signal))
            return false;
        await this.put(key, body, signal);
        return true;
    }
    async putIfMatch(key, body, expected, signal) {
        const release = await this.lock(key, signal);
        try {
            const current = await this.get(key, signal);
            if ((current?.etag ?? null) !== expected)
                return false;
            await this.put(key, body, signal);
            return true;
        }
        finally {
            await release();
        }
    }
    async lock(key, signal) {
        const lockPath = `${this.path(key)}.lock`;
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(lockPath), { recursive: true }).catch((err) => {
            throw fsError(this.display, "create folder for", key, err);
        });
        for (;;) {
            signal.throwIfAborted();
            try {
                const handle = await (0,promises_.open)(lockPath, "wx");
                await handle.close();
                return () => (0,promises_.rm)(lockPath, { force: true });
            }
            catch (err) {
                if (err.code !== "EEXIST")
                    throw fsError(this.display, "lock", key, err);
            }
            const age = await (0,promises_.stat)(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
            if (age > STALE_LOCK_MS)
                await (0,promises_.rm)(lockPath, { force: true });
            else
                await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
        }
    }
}
/** Path separators inside keys are always "/"; refuse a root that is a file system root by mistake. */
function checkFileRoot(root) {
    if (root === external_node_path_.sep || root === "")
        throw new src_errors/* RelayError */.cx("input", "file replica path must not be the file system root");
    return root;
}

;// CONCATENATED MODULE: ./packages/core/src/replica/url.ts
// Replica URLs, parsed and checked before anything is written (DESIGN §4).




// gocloud's spellings are accepted beside Atlas's; `awssdk` picks an SDK version there and is moot here.
const S3_PARAMS = [
    "region",
    "endpoint",
    "use_path_style",
    "s3ForcePathStyle",
    "disableSSL",
    "profile",
    "awssdk",
];
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ANY_REGION = /^[a-z0-9][a-z0-9-]*$/;
/** Query parameters, strictly: `k=v` pairs, no repeats, no empty values, valid percent-escapes. */
function parseQuery(query, shown, known) {
    const params = new Map();
    if (query === "")
        return params;
    for (const pair of query.split("&")) {
        const eq = pair.indexOf("=");
        let key;
        let value;
        try {
            key = decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
            value = eq === -1 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: malformed query (bad %-escape)`);
        }
        if (!known.includes(key)) {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: unknown parameter "${key}" (known: ${known.join(", ")})`);
        }
        if (value === "")
            throw (0,src_errors/* inputError */.Xu)(`${shown}: parameter "${key}" needs a value`);
        if (params.has(key))
            throw (0,src_errors/* inputError */.Xu)(`${shown}: parameter "${key}" given twice`);
        params.set(key, value);
    }
    return params;
}
function boolParam(params, name, shown) {
    const v = params.get(name);
    if (v === undefined)
        return undefined;
    if (v === "true" || v === "1")
        return true;
    if (v === "false" || v === "0")
        return false;
    throw (0,src_errors/* inputError */.Xu)(`${shown}: parameter "${name}" takes true or false, got "${v}"`);
}
/** Splits `scheme://authority/path?query#frag` without URL's normalisation (which hides mistakes). */
function splitUrl(raw) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/.exec(raw);
    if (!m)
        return undefined;
    return { scheme: m[1].toLowerCase(), authority: m[2], path: m[3], query: m[4] ?? "", fragment: m[5] };
}
function parseReplicaUrl(raw, cwd = process.cwd()) {
    const shown = redactUrl(raw);
    const parts = splitUrl(raw.trim());
    if (!parts) {
        throw (0,src_errors/* inputError */.Xu)(`"${shown}" is not a replica URL: use atlas://<repo>, s3://<bucket>/<prefix> or file://<path>`);
    }
    if (parts.fragment)
        throw (0,src_errors/* inputError */.Xu)(`${shown}: a replica URL takes no #fragment`);
    switch (parts.scheme) {
        case "atlas":
            return parseAtlas(parts, shown);
        case "s3":
            return parseS3(parts, shown);
        case "file":
            return parseFile(parts, shown, cwd);
        default:
            throw (0,src_errors/* inputError */.Xu)(`${shown}: unknown scheme "${parts.scheme}://" (use atlas://, s3:// or file://)`);
    }
}
function parseAtlas(parts, shown) {
    if (parts.authority.includes("@"))
        throw (0,src_errors/* inputError */.Xu)(`${shown}: atlas:// URLs take no credentials; pass the token separately`);
    if (parts.path !== "" && parts.path !== "/")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: use atlas://<repo> (no path)`);
    const slug = checkSlug(parts.authority);
    const params = parseQuery(parts.query, shown, ["tag", "version"]);
    const tag = params.get("tag");
    const version = params.get("version");
    if (tag !== undefined && version !== undefined)
        throw (0,src_errors/* inputError */.Xu)(`${shown}: give tag or version, not both`);
    const ref = tag !== undefined
        ? { tag: checkTag(tag) }
        : version !== undefined
            ? { version: checkVersion(version) }
            : undefined;
    return ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug };
}
function parseS3(parts, shown) {
    if (parts.authority.includes("@")) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: s3:// URLs take no credentials; use the AWS credential chain (env, profile, role)`);
    }
    const bucket = parts.authority;
    if (bucket === "")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: missing bucket (s3://<bucket>/<prefix>)`);
    if (!BUCKET.test(bucket) || bucket.includes("..")) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, "-", ".")`);
    }
    const params = parseQuery(parts.query, shown, S3_PARAMS);
    const endpointRaw = params.get("endpoint");
    const region = params.get("region");
    if (region !== undefined && !(endpointRaw ? ANY_REGION : AWS_REGION).test(region)) {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: "${region}" is not a valid region (e.g. us-east-1)`);
    }
    const pathStyle = boolParam(params, "use_path_style", shown) ?? boolParam(params, "s3ForcePathStyle", shown);
    const disableSSL = boolParam(params, "disableSSL", shown) ?? false;
    let endpoint;
    if (endpointRaw !== undefined) {
        const withScheme = /^[a-z]+:\/\//i.test(endpointRaw)
            ? endpointRaw
            : `${disableSSL ? "http" : "https"}://${endpointRaw}`;
        let url;
        try {
            url = new URL(withScheme);
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`${shown}: endpoint "${endpointRaw}" is not a URL`);
        }
        if (url.protocol !== "http:" && url.protocol !== "https:")
            throw (0,src_errors/* inputError */.Xu)(`${shown}: endpoint must be http(s)`);
        if (url.username || url.password)
            throw (0,src_errors/* inputError */.Xu)(`${shown}: the endpoint takes no credentials`);
        endpoint = url.toString().replace(/\/$/, "");
    }
    const segments = parts.path
        .split("/")
        .filter((s, i, all) => !(s === "" && (i === 0 || i === all.length - 1)));
    for (const s of segments) {
        if (s === "" || s === "." || s === "..")
            throw (0,src_errors/* inputError */.Xu)(`${shown}: prefix has an empty, "." or ".." segment`);
    }
    const location = {
        bucket,
        prefix: segments.length ? `${segments.join("/")}/` : "",
        forcePathStyle: pathStyle ?? endpoint !== undefined,
    };
    if (region)
        location.region = region;
    if (endpoint)
        location.endpoint = endpoint;
    const profile = params.get("profile");
    if (profile)
        location.profile = profile;
    return { kind: "s3", location, display: shown };
}
function parseFile(parts, shown, cwd) {
    if (parts.query !== "")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: file:// URLs take no query`);
    if (parts.authority.includes("@"))
        throw (0,src_errors/* inputError */.Xu)(`${shown}: file:// URLs take no credentials`);
    // file:///abs has an empty authority; file://rel/path puts "rel" there.
    let path;
    try {
        path = decodeURIComponent(parts.authority === "" || parts.authority === "localhost" ? parts.path : parts.authority + parts.path);
    }
    catch {
        throw (0,src_errors/* inputError */.Xu)(`${shown}: malformed path (bad %-escape)`);
    }
    if (path === "" || path === "/")
        throw (0,src_errors/* inputError */.Xu)(`${shown}: needs a folder (file:///abs/path or file://relative/path)`);
    const root = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(cwd, path);
    return { kind: "file", root, display: shown };
}

;// CONCATENATED MODULE: ./packages/core/src/replica/open.ts






const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
/** One registry call; the relay's per-target deadline bounds everything on top. */
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Parses, validates and opens one replica. Nothing is contacted or written here. */
function openReplica(url, options = {}) {
    return openSpec(parseReplicaUrl(url, options.cwd), options);
}
function openSpec(spec, options = {}) {
    const connectMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (spec.kind === "cloud") {
        const token = options.cloudToken;
        if (!token) {
            throw (0,src_errors/* configError */.Fj)(`atlas://${spec.slug} needs a cloud token: set atlas { cloud { token } }, --cloud-token or ATLAS_TOKEN`);
        }
        const endpoint = options.cloudUrl || DEFAULT_CLOUD_URL;
        let parsed;
        try {
            parsed = new URL(endpoint);
        }
        catch {
            throw (0,src_errors/* inputError */.Xu)(`cloud URL "${endpoint.replace(/\/\/[^@/]*@/, "//***@")}" is not a URL`);
        }
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
            throw (0,src_errors/* inputError */.Xu)("cloud URL must be http(s)");
        return new CloudReplica({
            slug: spec.slug,
            endpoint,
            token,
            timeouts: { connectMs, totalMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS },
            ...(spec.ref ? { ref: spec.ref } : {}),
        });
    }
    if (!options.repo)
        throw (0,src_errors/* configError */.Fj)(`${spec.display}: a repository name is needed (repo { name }, --dir-name)`);
    const repo = checkSlug(options.repo);
    if (spec.kind === "file") {
        return new BlobReplica("file", spec.display, new FileStore(checkFileRoot(spec.root), spec.display), `${repo}/`);
    }
    const store = lazyS3Store(spec.location, spec.display, { connectMs, extra: options.s3 });
    return new BlobReplica("s3", spec.display, store, `${repo}/`);
}
/**
 * The AWS SDK is loaded on first use, not at start-up: an apply served by the registry or a folder
 * never pays the ~60 ms it takes to load.
 */
function lazyS3Store(location, display, client) {
    let loading;
    const store = () => {
        loading ??= Promise.all([__nccwpck_require__.e(/* import() */ 711).then(__nccwpck_require__.t.bind(__nccwpck_require__, 3711, 19)), Promise.all(/* import() */[__nccwpck_require__.e(711), __nccwpck_require__.e(710)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7710))]).then(([{ S3Client }, { S3Store, s3ClientConfig }]) => new S3Store(new S3Client({ ...s3ClientConfig(location, client.connectMs), ...client.extra }), location, display));
        return loading;
    };
    return {
        get: async (key, signal) => (await store()).get(key, signal),
        exists: async (key, signal) => (await store()).exists(key, signal),
        putIfAbsent: async (key, body, signal) => (await store()).putIfAbsent(key, body, signal),
        put: async (key, body, signal) => (await store()).put(key, body, signal),
        putIfMatch: async (key, body, expected, signal) => (await store()).putIfMatch(key, body, expected, signal),
        casCaveat: async (probeKey, signal) => (await store()).casCaveat?.(probeKey, signal),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/relay/repo.ts




function openRepo(config) {
    const fromDir = config.dir && /^atlas:\/\//i.test(config.dir) ? parseReplicaUrl(config.dir) : undefined;
    const dirSlug = fromDir?.kind === "cloud" ? fromDir.slug : undefined;
    if (config.name && dirSlug && config.name !== dirSlug) {
        throw (0,src_errors/* configError */.Fj)(`migration dir ${config.dir} and repo name "${config.name}" disagree: use one repository name`);
    }
    const name = config.name || dirSlug;
    if (!name)
        throw (0,src_errors/* configError */.Fj)("no repository name: set repo { name } in atlas.hcl, or pass --dir-name");
    const slug = checkSlug(name);
    const options = {
        repo: slug,
        ...(config.cwd ? { cwd: config.cwd } : {}),
        ...(config.cloudUrl ? { cloudUrl: config.cloudUrl } : {}),
        ...(config.cloudToken ? { cloudToken: config.cloudToken } : {}),
        ...(config.connectTimeoutMs ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
        ...(config.s3 ? { s3: config.s3 } : {}),
    };
    const ref = fromDir?.kind === "cloud" ? fromDir.ref : undefined;
    let primary;
    if (config.url) {
        const spec = parseReplicaUrl(config.url, config.cwd);
        if (spec.kind === "cloud")
            throw (0,src_errors/* configError */.Fj)(`repo url ${config.url} must be s3:// or file:// (the registry is atlas://)`);
        primary = openSpec(spec, options);
    }
    else {
        primary = openSpec(ref ? { kind: "cloud", slug, ref } : { kind: "cloud", slug }, options);
    }
    const backups = config.backups.map((url) => {
        if (/^atlas:\/\//i.test(url.trim()))
            throw (0,src_errors/* configError */.Fj)(`backup ${url} must be s3:// or file://`);
        return openReplica(url, options);
    });
    return { slug, replicas: [primary, ...backups], ...(ref ? { ref } : {}) };
}
/** The repository settings of an atlas.hcl env; callers lay explicit inputs over it. */
function repoConfigOf(env) {
    const { dir, repo } = env.migration;
    return {
        ...(dir ? { dir } : {}),
        ...(repo.name ? { name: repo.name } : {}),
        backups: repo.backup,
        ...(repo.url ? { url: repo.url } : {}),
        ...(env.cloud.url ? { cloudUrl: env.cloud.url } : {}),
        ...(env.cloud.token ? { cloudToken: env.cloud.token } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/core/src/relay/index.ts






;// CONCATENATED MODULE: ./packages/core/src/replica/index.ts









;// CONCATENATED MODULE: ./packages/core/src/index.ts
// The core library: everything that is not GitHub-specific. No @actions/* imports here.









;// CONCATENATED MODULE: ./packages/cli/src/args.ts
// A small flag parser in Atlas's spelling: `--flag value`, `--flag=value`, repeatable flags, booleans.

function parseArgs(argv, specs) {
    const byName = new Map(specs.map((s) => [s.name, s]));
    const flags = {};
    const positionals = [];
    for (const spec of specs) {
        if (spec.type === "list")
            flags[spec.name] = [];
        else if (spec.default !== undefined)
            flags[spec.name] = spec.type === "bool" ? spec.default === "true" : spec.default;
    }
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        if (!arg.startsWith("-") || arg === "-") {
            positionals.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq === -1 ? undefined : eq);
        const spec = byName.get(name);
        if (!spec)
            throw (0,src_errors/* inputError */.Xu)(`unknown flag --${name}`);
        let value = eq === -1 ? undefined : arg.slice(eq + 1);
        if (spec.type === "bool") {
            if (value !== undefined && value !== "true" && value !== "false") {
                throw (0,src_errors/* inputError */.Xu)(`--${name} takes true or false, got "${value}"`);
            }
            flags[name] = value !== "false";
            continue;
        }
        if (value === undefined) {
            value = argv[++i];
            if (value === undefined)
                throw (0,src_errors/* inputError */.Xu)(`--${name} needs a value`);
        }
        if (spec.type === "list")
            flags[name].push(value);
        else
            flags[name] = value;
    }
    return { flags, positionals };
}
const args_str = (flags, name) => flags[name];
const bool = (flags, name) => flags[name] === true;
const args_list = (flags, name) => flags[name] ?? [];

;// CONCATENATED MODULE: ./packages/cli/src/duration.ts

/** Go-style durations as Atlas takes them ("10s", "1m30s", "500ms"); a bare number is seconds. */
function parseDuration(text, flag) {
    const t = text.trim();
    if (t === "")
        throw (0,src_errors/* inputError */.Xu)(`--${flag} is empty; use e.g. 10s, 1m30s or 500ms`);
    if (/^\d+(\.\d+)?$/.test(t))
        return Number(t) * 1000;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    let total = 0;
    let rest = t;
    while (rest) {
        const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
        if (!m)
            throw (0,src_errors/* inputError */.Xu)(`--${flag} "${text}" is not a duration; use e.g. 10s, 1m30s or 500ms`);
        total += Number(m[1]) * unit[m[2]];
        rest = rest.slice(m[0].length);
    }
    return total;
}

;// CONCATENATED MODULE: ./packages/cli/src/config-flags.ts
// The `--config --env --var` flags every command that reads atlas.hcl shares, and loading them.


const CONFIG_FLAGS = [
    {
        name: "config",
        type: "string",
        description: "the project file (Atlas's atlas.hcl)",
        default: "file://atlas.hcl",
    },
    { name: "env", type: "string", description: "the env block of the project file to use" },
    {
        name: "var",
        type: "list",
        description: "a value for an input variable, key=value (repeat a key to pass a list)",
    },
];
/** Whether the command line selects an env (commands that also work without a config check this first). */
const hasEnvFlag = (flags) => (args_str(flags, "env") ?? "") !== "";
/**
 * Loads the env selected by --env from --config with --var values; getenv() reads io.env and relative
 * paths resolve against io.cwd. One result per for_each instance. Throws a usage error without --env.
 */
async function loadEnvsFromFlags(flags, io) {
    const env = args_str(flags, "env");
    if (!env)
        throw (0,src_errors/* inputError */.Xu)("--env is required: name the env block of the project file to use, e.g. --env prod");
    return loadEnv({
        config: args_str(flags, "config") ?? "file://atlas.hcl",
        env,
        vars: parseVarFlags(args_list(flags, "var")),
        cwd: io.cwd,
        getenv: (name) => io.env[name],
    });
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/push-common.ts
// What push and pull share: where the repository lives (flags or atlas.hcl), timeouts, the grant.




const REPO_FLAGS = [
    ...CONFIG_FLAGS,
    { name: "dir-name", type: "string", description: "the repository name (slug) in the registry and backups" },
    { name: "backup", type: "list", description: "a backup URL, s3://bucket/prefix?region=R or file://path" },
    { name: "repo-url", type: "string", description: "an s3:// or file:// primary instead of the registry" },
    {
        name: "cloud-url",
        type: "string",
        description: "the registry's GraphQL endpoint [default https://api.atlasgo.cloud/query]",
    },
    { name: "cloud-token", type: "string", description: "the registry token [default $ATLAS_TOKEN]" },
    {
        name: "grant-dir",
        type: "string",
        description: "where license grants live [default $MIGRATE_RELAY_HOME/grants or ~/.migrate-relay/grants]",
    },
    {
        name: "grant-ttl",
        type: "string",
        description: "how long a grant lets work go on without the registry",
        default: "168h",
    },
    { name: "connect-timeout", type: "string", description: "per-replica connect timeout", default: "3s" },
    { name: "format", type: "string", description: "output format: json" },
];
/** The env selected by --env (first for_each instance), or none when no --env is given. */
async function envFromFlags(flags, io) {
    if (!hasEnvFlag(flags))
        return undefined;
    const [env] = await loadEnvsFromFlags(flags, io);
    return env;
}
/** Where the repository lives: explicit flags first, then atlas.hcl, then $ATLAS_TOKEN. */
function repoFromFlags(flags, io, env, dir) {
    const base = env ? repoConfigOf(env) : { backups: [] };
    const backups = args_list(flags, "backup");
    const name = args_str(flags, "dir-name") ?? base.name;
    const url = args_str(flags, "repo-url") ?? base.url;
    const cloudUrl = args_str(flags, "cloud-url") ?? base.cloudUrl;
    const cloudToken = args_str(flags, "cloud-token") ?? base.cloudToken ?? io.env.ATLAS_TOKEN;
    const { dir: _source, ...rest } = base;
    return openRepo({
        ...rest,
        ...(dir ? { dir } : {}),
        ...(name ? { name } : {}),
        backups: backups.length ? backups : base.backups,
        ...(url ? { url } : {}),
        ...(cloudUrl ? { cloudUrl } : {}),
        ...(cloudToken ? { cloudToken } : {}),
        cwd: io.cwd,
        connectTimeoutMs: durationFlag(flags, "connect-timeout") ?? 3_000,
    });
}
function grantsFromFlags(flags, io) {
    const ttlMs = durationFlag(flags, "grant-ttl");
    return new GrantStore({
        dir: args_str(flags, "grant-dir") ?? defaultGrantDir(io.env),
        ...(ttlMs ? { ttlMs } : {}),
    });
}
function durationFlag(flags, name) {
    const text = args_str(flags, name);
    if (text === undefined)
        return undefined;
    const ms = parseDuration(text, name);
    if (!(ms > 0))
        throw (0,src_errors/* inputError */.Xu)(`--${name} must be more than 0`);
    return ms;
}
function formatFlag(flags) {
    const format = args_str(flags, "format");
    if (format === undefined)
        return undefined;
    if (format !== "json")
        throw (0,src_errors/* inputError */.Xu)(`--format "${format}": only json is supported`);
    return "json";
}
const push_common_seconds = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
function bytesText(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} kB`;
    return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/pull.ts




/** One line per replica tried: outcome, URL, time, and why it was left (or what was verified). */
function attemptLine(a) {
    const status = a.outcome === "ok" ? "ok  " : "FAIL";
    const why = a.outcome === "ok" ? a.note : `${a.error}${a.eligible ? " -> next" : ""}`;
    const extra = a.outcome === "failed" && a.note ? `; ${a.note}` : "";
    return `  ${status}  ${a.url}  ${push_common_seconds(a.ms)}  ${why ?? ""}${extra}`;
}
const pullCommand = {
    name: "pull",
    summary: "Read a migration directory from the registry, or the first backup that has it, into a folder.",
    usage: "migrate-relay pull (--config file://atlas.hcl --env <name> | --dir atlas://<repo> --backup <url>...) --to <folder> [flags]",
    example: "migrate-relay pull --config file://atlas.hcl --env prod --to ./migrations-from-registry",
    flags: [
        { name: "dir", type: "string", description: "atlas://<repo>[?tag=T|?version=V] to read" },
        ...REPO_FLAGS,
        {
            name: "to",
            type: "string",
            description: "the folder to write the directory into (created if missing)",
        },
        { name: "tag", type: "string", description: "the tag to read [default latest]" },
        { name: "version", type: "string", description: "read the state whose last file is this version" },
        { name: "timeout", type: "string", description: "per-replica time before moving on", default: "10s" },
        {
            name: "retries",
            type: "string",
            description: "extra attempts per replica before moving on",
            default: "0",
        },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length)
            throw (0,src_errors/* inputError */.Xu)(`unexpected arguments: ${positionals.join(" ")}`);
        const to = args_str(flags, "to");
        if (!to)
            throw (0,src_errors/* inputError */.Xu)("--to is required: the folder to write the migration directory into");
        const json = formatFlag(flags) === "json";
        const env = await envFromFlags(flags, io);
        const dirUrl = args_str(flags, "dir") ?? env?.migration.dir;
        const repo = repoFromFlags(flags, io, env, dirUrl && /^atlas:\/\//i.test(dirUrl) ? dirUrl : undefined);
        const tag = args_str(flags, "tag");
        const version = args_str(flags, "version");
        if (tag && version)
            throw (0,src_errors/* inputError */.Xu)("give --tag or --version, not both");
        const ref = tag ? { tag } : version ? { version } : repo.ref;
        const retries = Number(args_str(flags, "retries") ?? "0");
        if (!Number.isInteger(retries) || retries < 0)
            throw (0,src_errors/* inputError */.Xu)("--retries must be a whole number >= 0");
        try {
            const result = await pull(repo.replicas, {
                ...(ref ? { ref } : {}),
                timeoutMs: durationFlag(flags, "timeout") ?? 10_000,
                retries,
                grants: grantsFromFlags(flags, io),
                ...(json
                    ? {}
                    : { onAttempt: (a) => (a.outcome === "ok" ? io.out : io.err)(attemptLine(a)) }),
            });
            const path = (0,external_node_path_.resolve)(io.cwd, to);
            await writeDir(path, result.dir);
            const { dir: _files, ...summary } = result;
            if (json)
                io.out(JSON.stringify({ ...summary, files: result.dir.files.length, to: path }, null, 2));
            else {
                io.out(`Read ${repo.slug} ${"tag" in result.ref ? `tag ${result.ref.tag}` : `version ${result.ref.version}`} (version ${result.version}, ${result.dir.files.length} files, ${result.digest}) from ${result.source} into ${to}`);
            }
            return 0;
        }
        catch (err) {
            if (!(err instanceof PullError))
                throw err;
            if (json)
                io.out(JSON.stringify({ error: err.message, kind: err.kind, trail: err.trail }, null, 2));
            io.err(`Error: ${err.message}`);
            return 1;
        }
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/apply-relay.ts
// Where apply and status read a directory: file:// from disk, atlas:// through the relay (registry
// first, then the backups, verified), with the repository flags push and pull use.



/** The repository flags (registry, backups, grant), minus those TARGET_FLAGS already has. */
const RELAY_FLAGS = REPO_FLAGS.filter((f) => !["config", "env", "var", "format"].includes(f.name));
/**
 * Reads the directory a target names: `file://` from disk; `atlas://` through the relay (the registry
 * first, then the env's backups, verified), once per distinct repository even for many targets.
 */
function dirLoader(flags, io, options) {
    const pulled = new Map();
    return (target) => {
        if (!/^atlas:\/\//i.test(target.dir))
            return readDir(target.dir, io.cwd).then((dir) => ({ dir }));
        const key = JSON.stringify([target.dir, target.env?.migration.repo, target.env?.cloud.url]);
        let loading = pulled.get(key);
        if (!loading) {
            loading = pullDir(flags, io, target, options.log);
            pulled.set(key, loading);
        }
        return loading;
    };
}
async function pullDir(flags, io, target, log) {
    const repo = repoFromFlags(flags, io, target.env, target.dir);
    if (log)
        io.out(`Reading ${target.dir}: the primary, then ${repo.replicas.length - 1} backup(s)`);
    // A PullError (a RelayError carrying the trail) reaches the command, which reports it per target.
    const result = await pull(repo.replicas, {
        ...(repo.ref ? { ref: repo.ref } : {}),
        grants: grantsFromFlags(flags, io),
        ...(log ? { onAttempt: (a) => (a.outcome === "ok" ? io.out : io.err)(attemptLine(a)) } : {}),
    });
    return { dir: result.dir, source: result.source, trail: result.trail };
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/apply-targets.ts
// Shared by apply and status: which database(s) and directory a command line selects.
// Explicit flags (--url --dir ...) win over the env block of atlas.hcl (--config --env).



const TARGET_FLAGS = [
    ...CONFIG_FLAGS,
    {
        name: "url",
        type: "string",
        description: "the target database URL, e.g. postgres://user:pass@host:5432/db",
    },
    {
        name: "dir",
        type: "string",
        description: "the migration directory: file://path, or atlas://repo read through the relay",
    },
    {
        name: "revisions-schema",
        type: "string",
        description: "schema of atlas_schema_revisions (default: the URL's search_path, else atlas_schema_revisions)",
    },
    { name: "format", type: "string", description: "output format: json prints the result objects" },
];
/** One target per env instance (for_each), or the single one --url/--dir name. */
async function selectTargets(flags, io) {
    const url = args_str(flags, "url");
    const dir = args_str(flags, "dir");
    if (!hasEnvFlag(flags)) {
        if (!url)
            throw (0,src_errors/* inputError */.Xu)("no database: pass --url postgres://... (or --config file://atlas.hcl --env <name>)");
        return [{ url, dir: dir ?? "file://migrations" }];
    }
    const envs = await loadEnvsFromFlags(flags, io);
    return envs.map((env) => {
        const target = url ?? env.url;
        const label = env.instance === undefined ? env.name : `${env.name}[${env.instance}]`;
        if (!target)
            throw (0,src_errors/* inputError */.Xu)(`env "${label}" has no url: set url in atlas.hcl or pass --url`);
        return { url: target, dir: dir ?? env.migration.dir ?? "file://migrations", label, env };
    });
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/apply.ts





function fileLine(f) {
    const time = `${f.ms.toFixed(1)} ms`;
    const resumed = f.skipped ? `, resumed after ${f.skipped}` : "";
    if (f.error) {
        return `  FAIL ${f.name}  statement ${f.error.index}/${f.total} (line ${f.error.line}): ${f.error.text}  ${time}`;
    }
    const state = f.rolledBack ? "rolled back" : "ok";
    return `  ${state === "ok" ? "ok  " : "back"} ${f.name}  ${f.statements} statement${f.statements === 1 ? "" : "s"}${resumed}  ${time}`;
}
function summaryLine(r) {
    if (r.error)
        return `Error: ${r.error.message}`;
    const from = r.current || "(empty)";
    if (r.pending.length === 0)
        return `No migration files to execute (database at ${from})`;
    const statements = r.applied.reduce((n, f) => n + f.statements, 0);
    if (r.dryRun)
        return `Dry run: would migrate from ${from} to ${r.target}: ${r.pending.join(", ")}`;
    return `Migrated to version ${r.target} from ${from} (${r.applied.length} migrations, ${statements} statements, ${r.ms} ms)`;
}
function optionsOf(flags, target) {
    const m = target.env?.migration;
    const amountText = args_str(flags, "amount");
    const amount = amountText === undefined ? undefined : Number(amountText);
    if (amountText !== undefined && !(Number.isInteger(amount) && amount >= 1)) {
        throw (0,src_errors/* inputError */.Xu)(`--amount "${amountText}" must be a whole number >= 1`);
    }
    const lockTimeout = args_str(flags, "lock-timeout") ?? m?.lockTimeout;
    return {
        url: target.url,
        txMode: (args_str(flags, "tx-mode") ?? "file"),
        execOrder: (args_str(flags, "exec-order") ?? m?.execOrder ?? "linear"),
        baseline: args_str(flags, "baseline") ?? m?.baseline,
        allowDirty: bool(flags, "allow-dirty"),
        amount,
        toVersion: args_str(flags, "to-version"),
        dryRun: bool(flags, "dry-run"),
        revisionsSchema: args_str(flags, "revisions-schema") ?? m?.revisionsSchema,
        lockTimeoutMs: lockTimeout === undefined ? undefined : parseDuration(lockTimeout, "lock-timeout"),
    };
}
const applyCommand = {
    name: "apply",
    summary: "Apply pending migration files to PostgreSQL, as `atlas migrate apply` does.",
    usage: "migrate-relay apply (--url <db> [--dir file://migrations] | --config file://atlas.hcl --env <name>) [flags]",
    example: "migrate-relay apply --url 'postgres://app:pass@localhost:5432/app?sslmode=disable' --dir file://migrations --tx-mode file",
    flags: [
        ...TARGET_FLAGS,
        ...RELAY_FLAGS,
        { name: "tx-mode", type: "string", description: "transaction mode: file, all or none", default: "file" },
        {
            name: "exec-order",
            type: "string",
            description: "files added out of order: linear (error), linear-skip (skip), non-linear (run) [default linear]",
        },
        {
            name: "baseline",
            type: "string",
            description: "first run on a non-clean database: start after this version",
        },
        {
            name: "allow-dirty",
            type: "bool",
            description: "first run on a non-clean database: apply everything anyway",
        },
        { name: "amount", type: "string", description: "apply at most this many pending files" },
        {
            name: "to-version",
            type: "string",
            description: "apply pending files up to and including this version",
        },
        { name: "dry-run", type: "bool", description: "print what would run; write nothing (no table, no lock)" },
        {
            name: "lock-timeout",
            type: "string",
            description: "how long to wait for another apply's lock [default 10s]",
        },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length > 1)
            throw (0,src_errors/* inputError */.Xu)(`unexpected arguments: ${positionals.join(" ")}`);
        // Atlas takes the amount as a positional argument too: `atlas migrate apply 1`.
        if (positionals[0] !== undefined) {
            if (args_str(flags, "amount") !== undefined)
                throw (0,src_errors/* inputError */.Xu)("pass the amount once: either --amount or the argument");
            flags.amount = positionals[0];
        }
        const json = args_str(flags, "format") === "json";
        if (args_str(flags, "format") !== undefined && !json)
            throw (0,src_errors/* inputError */.Xu)(`--format "${args_str(flags, "format")}": only json is supported`);
        const targets = await selectTargets(flags, io);
        const prepared = targets.map((t) => ({ target: t, options: optionsOf(flags, t) }));
        const results = [];
        const loadDir = dirLoader(flags, io, { log: !json });
        for (const { target, options } of prepared) {
            if (!json)
                io.out(`Applying ${redactUrl(target.dir)} to ${redactUrl(target.url)}${target.label ? ` (env ${target.label})` : ""}`);
            let result;
            try {
                const loaded = await loadDir(target);
                result = await applyDir(loaded.dir, {
                    ...options,
                    source: loaded.source,
                    trail: loaded.trail,
                    onFile: json ? undefined : (f) => io.out(fileLine(f)),
                });
            }
            catch (err) {
                // Bad usage stops the command (exit 2); anything else is this target's failure.
                if (!(0,src_errors/* isRelayError */.as)(err) || err.kind === "config" || err.kind === "input")
                    throw err;
                const trail = err instanceof PullError ? { trail: err.trail } : {};
                result = {
                    url: redactUrl(target.url),
                    current: "",
                    target: "",
                    pending: [],
                    applied: [],
                    dryRun: options.dryRun === true,
                    ms: 0,
                    error: { kind: err.kind, message: (0,src_errors/* messageOf */.bD)(err) },
                    ...trail,
                };
            }
            results.push(result);
            if (!json)
                (result.error ? io.err : io.out)(summaryLine(result));
        }
        if (json)
            io.out(JSON.stringify(results, null, 2));
        return results.some((r) => r.error) ? 1 : 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/env.ts



// redactUrl re-serializes (file://migrations -> file://migrations/); show URLs as written unless secret.
const env_showUrl = (u) => (secretsOfUrl(u).length > 0 || /:[^/@]*@/.test(u) ? redactUrl(u) : u);
/** The env as it is safe to show: URLs redacted, the token reduced to "***". */
function redactEnv(env) {
    const url = (u) => (u === undefined ? undefined : env_showUrl(u));
    const { repo } = env.migration;
    // The JSON round trip drops the fields left undefined, so unset settings do not print.
    return JSON.parse(JSON.stringify({
        ...env,
        url: url(env.url),
        dev: url(env.dev),
        migration: {
            ...env.migration,
            dir: url(env.migration.dir),
            repo: { ...repo, backup: repo.backup.map(env_showUrl), url: url(repo.url) },
        },
        cloud: {
            ...env.cloud,
            token: env.cloud.token === undefined ? undefined : "***",
            url: url(env.cloud.url),
        },
    }));
}
/** Text form: one section per instance, one `key: value` line per setting that is set. */
function formatEnvText(env) {
    const title = env.instance === undefined ? `env "${env.name}"` : `env "${env.name}" (instance "${env.instance}")`;
    const m = env.migration;
    const rows = [
        ["url", env.url],
        ["dev", env.dev],
        ["migration.dir", m.dir],
        ["migration.format", m.format],
        ["migration.baseline", m.baseline],
        ["migration.exec_order", m.execOrder],
        ["migration.lock_timeout", m.lockTimeout],
        ["migration.revisions_schema", m.revisionsSchema],
        ["migration.repo.name", m.repo.name],
        ["migration.repo.url", m.repo.url],
        ["cloud.url", env.cloud.url],
        ["cloud.project", env.cloud.project],
        ["cloud.token", env.cloud.token],
    ];
    const width = Math.max(...rows.map(([k]) => k.length), "migration.repo.backup".length);
    const lines = [title];
    for (const [key, value] of rows)
        lines.push(`  ${`${key}:`.padEnd(width + 1)} ${value ?? "(not set)"}`);
    const backups = m.repo.backup;
    lines.push(`  ${"migration.repo.backup:".padEnd(width + 1)} ${backups.length === 0 ? "(none)" : ""}`.trimEnd());
    for (const b of backups)
        lines.push(`    - ${b}`);
    return lines;
}
const envCommand = {
    name: "env",
    summary: "Show an env of atlas.hcl as push and apply will use it (secrets redacted).",
    usage: "migrate-relay env --env <name> [--config file://atlas.hcl] [--var key=value ...] [--format json]",
    example: "migrate-relay env --config file://atlas.hcl --env prod --var tenants=acme --format json",
    flags: [
        ...CONFIG_FLAGS,
        { name: "format", type: "string", description: 'output format: "text" or "json"', default: "text" },
    ],
    async run(args, io) {
        const format = args_str(args.flags, "format") ?? "text";
        if (format !== "text" && format !== "json") {
            throw (0,src_errors/* inputError */.Xu)(`--format ${JSON.stringify(format)}: expected "text" or "json"`);
        }
        if (args.positionals.length > 0)
            throw (0,src_errors/* inputError */.Xu)(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
        const envs = (await loadEnvsFromFlags(args.flags, io)).map(redactEnv);
        if (format === "json") {
            io.out(JSON.stringify(envs, null, 2));
            return 0;
        }
        envs.forEach((env, i) => {
            if (i > 0)
                io.out("");
            for (const line of formatEnvText(env))
                io.out(line);
        });
        return 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/hash.ts
// `migrate-relay hash`: write atlas.sum as `atlas migrate hash` does, or check it (`--check`), as
// `atlas migrate validate` does for the integrity file.





const DEFAULT_DIR = "file://migrations";
/** The directories to hash: --dir, else the env's migration.dir (each distinct one), else the default. */
async function dirsToHash(flags, io) {
    const explicit = args_str(flags, "dir");
    if (explicit)
        return [explicit];
    if (!hasEnvFlag(flags))
        return [DEFAULT_DIR];
    const dirs = new Set();
    for (const env of await loadEnvsFromFlags(flags, io)) {
        const dir = env.migration.dir;
        if (!dir)
            throw (0,src_errors/* inputError */.Xu)(`env "${env.name}" sets no migration.dir; pass --dir file://<path>`);
        dirs.add(dir);
    }
    return [...dirs];
}
const hashCommand = {
    name: "hash",
    summary: "Write atlas.sum for a migration directory, or check it with --check.",
    usage: "migrate-relay hash [--dir file://migrations | --env <name>] [--check]",
    example: "migrate-relay hash --dir file://migrations && migrate-relay hash --dir file://migrations --check",
    flags: [
        {
            name: "dir",
            type: "string",
            description: `the migration directory URL (default ${DEFAULT_DIR}, or the env's migration.dir with --env)`,
        },
        {
            name: "check",
            type: "bool",
            description: "validate atlas.sum against the files instead of writing it (exit 1 when they differ)",
        },
        ...CONFIG_FLAGS,
    ],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw (0,src_errors/* inputError */.Xu)(`unexpected argument "${args.positionals[0]}"`);
        const check = bool(args.flags, "check");
        let failed = false;
        for (const url of await dirsToHash(args.flags, io)) {
            const path = dirPath(url, io.cwd);
            const dir = await readDir(url, io.cwd);
            if (check) {
                try {
                    validateDir(dir);
                }
                catch (err) {
                    if (!(0,src_errors/* isRelayError */.as)(err, "integrity"))
                        throw err;
                    io.err(`migrate-relay hash: ${err.message}`);
                    io.err(`${path}: atlas.sum does not match the migration files. If the change is intended, run ` +
                        "`migrate-relay hash` (or `atlas migrate hash`) and commit atlas.sum; otherwise restore the files.");
                    failed = true;
                    continue;
                }
                const total = dir.sum ? sumTotal(dir.sum) : "no atlas.sum, no files";
                io.out(`${path}: atlas.sum matches ${dir.files.length} file(s) (${total})`);
                continue;
            }
            const sum = hashDir(dir.files);
            const file = (0,external_node_path_.join)(path, SUM_FILE);
            const before = await (0,promises_.readFile)(file).catch(() => null);
            const same = before !== null && Buffer.compare(before, sum) === 0;
            if (!same)
                await (0,promises_.writeFile)(file, sum);
            io.out(`${file}: ${same ? "unchanged" : "written"}, ${dir.files.length} file(s) (${sumTotal(sum)})`);
        }
        return failed ? 1 : 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/push.ts



/** One line per target: result, URL, role, time, bytes, and the error or note. */
function targetLine(t) {
    const status = t.ok ? "ok  " : "FAIL";
    const size = t.ok ? (t.skipped ? "archive already there" : `${bytesText(t.bytes)} sent`) : "";
    const detail = [size, t.error, t.note].filter(Boolean).join("; ");
    return `  ${status}  ${t.url}  (${t.role})  ${push_common_seconds(t.ms)}${detail ? `  ${detail}` : ""}`;
}
const pushCommand = {
    name: "push",
    summary: "Publish a migration directory to the registry and every backup at once.",
    usage: "migrate-relay push (--config file://atlas.hcl --env <name> | --dir file://migrations --dir-name <repo> --backup <url>...) [flags]",
    example: "ATLAS_TOKEN=... migrate-relay push --dir file://migrations --dir-name app --backup 's3://my-backups/atlas?region=us-east-1' --backup file:///mnt/backups --tag $GIT_SHA",
    flags: [
        {
            name: "dir",
            type: "string",
            description: "the migration directory to publish [default file://migrations]",
        },
        ...REPO_FLAGS,
        {
            name: "dev-url",
            type: "string",
            description: "a dev database: every file runs on a scratch database beside it before anything is published [default: the env's dev]",
        },
        { name: "tag", type: "string", description: "the tag to publish", default: "latest" },
        { name: "latest", type: "bool", description: "also move the latest tag (only forward)", default: "true" },
        { name: "force", type: "bool", description: "move latest even when the new state does not extend it" },
        { name: "timeout", type: "string", description: "per-target time, retries included", default: "60s" },
        {
            name: "retries",
            type: "string",
            description: "extra attempts per target after a transient error",
            default: "2",
        },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length)
            throw (0,src_errors/* inputError */.Xu)(`unexpected arguments: ${positionals.join(" ")}`);
        const json = formatFlag(flags) === "json";
        const env = await envFromFlags(flags, io);
        const source = args_str(flags, "dir") ?? env?.migration.dir ?? "file://migrations";
        if (/^atlas:\/\//i.test(source)) {
            throw (0,src_errors/* inputError */.Xu)(`push reads a local directory: --dir ${source} is a registry URL (use file://...)`);
        }
        const repo = repoFromFlags(flags, io, env);
        const retries = Number(args_str(flags, "retries") ?? "2");
        if (!Number.isInteger(retries) || retries < 0)
            throw (0,src_errors/* inputError */.Xu)("--retries must be a whole number >= 0");
        const dir = await readDir(source, io.cwd);
        // Publish only a directory that applies: a failed replay stops here, before any target is written.
        const devUrl = args_str(flags, "dev-url") ?? env?.dev;
        if (devUrl) {
            const replay = await replayDir(devUrl, dir);
            if (!json) {
                io.out(`Replayed ${replay.files} files (${replay.statements} statements) on a scratch database at ${replay.url} in ${push_common_seconds(replay.ms)}`);
            }
        }
        const result = await push(dir, repo.replicas, {
            repo: repo.slug,
            tag: args_str(flags, "tag") ?? "latest",
            latest: bool(flags, "latest"),
            force: bool(flags, "force"),
            timeoutMs: durationFlag(flags, "timeout") ?? 60_000,
            retries,
            grants: grantsFromFlags(flags, io),
            source: {
                ...(io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {}),
                ...(io.env.GITHUB_REF ? { ref: io.env.GITHUB_REF } : {}),
                ...(io.env.GITHUB_RUN_ID ? { run: io.env.GITHUB_RUN_ID } : {}),
            },
            ...(json ? {} : { onTarget: (t) => (t.ok ? io.out : io.err)(targetLine(t)) }),
        });
        if (json)
            io.out(JSON.stringify(toAtlasJson(result), null, 2));
        const took = result.targets.filter((t) => t.ok).length;
        if (!result.ok) {
            io.err(`Error: ${result.error}`);
            return 1;
        }
        if (!json) {
            io.out(`Pushed ${result.slug}:${result.tag} (version ${result.version}, ${result.files} files, ${result.digest}) to ${took} of ${result.targets.length} targets`);
        }
        return 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/status.ts




/** Atlas's `migrate status` layout. */
function statusLines(r) {
    if (r.error)
        return [`Error: ${r.error.message}`];
    const lines = [
        `Migration Status: ${r.status}`,
        `  -- Current Version: ${r.current || "No migration applied yet"}`,
        `  -- Next Version:    ${r.next || "Already at latest version"}`,
        `  -- Executed Files:  ${r.executed}`,
        `  -- Pending Files:   ${r.pending.length}`,
    ];
    if (r.partial) {
        lines.push(`  -- Partially applied: ${r.partial.version} (${r.partial.applied} of ${r.partial.total} statements)`);
        if (r.partial.error) {
            lines.push("", "Last migration attempt had errors:", `  -- SQL:   ${r.partial.errorStmt}`, `  -- ERROR: ${r.partial.error}`);
        }
    }
    return lines;
}
const statusCommand = {
    name: "status",
    summary: "Show the migration status of a database: current version, pending files, a partial file.",
    usage: "migrate-relay status (--url <db> [--dir file://migrations] | --config file://atlas.hcl --env <name>) [--format json]",
    example: "migrate-relay status --url 'postgres://app:pass@localhost:5432/app?sslmode=disable' --dir file://migrations",
    flags: [
        ...TARGET_FLAGS,
        ...RELAY_FLAGS,
        { name: "baseline", type: "string", description: "the baseline apply would use on a first run" },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length > 0)
            throw (0,src_errors/* inputError */.Xu)(`unexpected arguments: ${positionals.join(" ")}`);
        const json = args_str(flags, "format") === "json";
        if (args_str(flags, "format") !== undefined && !json)
            throw (0,src_errors/* inputError */.Xu)(`--format "${args_str(flags, "format")}": only json is supported`);
        const results = [];
        const loadDir = dirLoader(flags, io, { log: !json });
        for (const target of await selectTargets(flags, io)) {
            let result;
            try {
                const loaded = await loadDir(target);
                result = await dirStatus(loaded.dir, {
                    url: target.url,
                    revisionsSchema: args_str(flags, "revisions-schema") ?? target.env?.migration.revisionsSchema,
                    baseline: args_str(flags, "baseline") ?? target.env?.migration.baseline,
                    source: loaded.source,
                    trail: loaded.trail,
                });
            }
            catch (err) {
                if (!(0,src_errors/* isRelayError */.as)(err) || err.kind === "config" || err.kind === "input")
                    throw err;
                const trail = err instanceof PullError ? { trail: err.trail } : {};
                result = {
                    url: redactUrl(target.url),
                    status: "OK",
                    current: "",
                    next: "",
                    executed: 0,
                    pending: [],
                    revisionsSchema: "",
                    error: { kind: err.kind, message: (0,src_errors/* messageOf */.bD)(err) },
                    ...trail,
                };
            }
            results.push(result);
            if (!json) {
                if (target.label)
                    io.out(`env ${target.label} (${result.url}):`);
                for (const line of statusLines(result))
                    (result.error ? io.err : io.out)(line);
            }
        }
        if (json)
            io.out(JSON.stringify(results, null, 2));
        return results.some((r) => r.error) ? 1 : 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/index.ts
// The `migrate-relay` command: every CI system's front end to the core library.









// Each command lives in its own module under commands/; list it here to make it reachable.
const COMMANDS = [applyCommand, envCommand, hashCommand, pullCommand, pushCommand, statusCommand];
const processIo = () => ({
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
});
function helpOf(cmd) {
    const flags = cmd.flags.map((f) => {
        const value = f.type === "bool" ? "" : " <value>";
        const extra = f.type === "list" ? " (repeatable)" : f.default !== undefined ? ` (default ${f.default})` : "";
        return `  --${f.name}${value}\n      ${f.description}${extra}`;
    });
    return [
        `${cmd.summary}`,
        "",
        `Usage:\n  ${cmd.usage}`,
        "",
        "Flags:",
        ...flags,
        "",
        `Example:\n  ${cmd.example}`,
    ].join("\n");
}
function mainHelp() {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return [
        "migrate-relay: publish versioned migrations everywhere at once; apply them from the first place that answers.",
        "",
        "Usage:\n  migrate-relay <command> [flags]",
        "",
        "Commands:",
        ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
        "",
        "Run `migrate-relay <command> --help` for a command's flags and an example.",
    ].join("\n");
}
/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad usage or config). */
async function runCli(argv, io = processIo()) {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
        (name === undefined ? io.err : io.out)(mainHelp());
        return name === undefined ? 2 : 0;
    }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) {
        io.err(`migrate-relay: unknown command "${name}"\n\n${mainHelp()}`);
        return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        io.out(helpOf(cmd));
        return 0;
    }
    try {
        return await cmd.run(parseArgs(rest, cmd.flags), io);
    }
    catch (err) {
        io.err(`migrate-relay ${cmd.name}: ${(0,src_errors/* messageOf */.bD)(err)}`);
        return (0,src_errors/* isRelayError */.as)(err, "config") || (0,src_errors/* isRelayError */.as)(err, "input") ? 2 : 1;
    }
}

;// CONCATENATED MODULE: ./actions/apply/main.ts
// Placeholder: the apply action's glue (inputs, outputs, job summary, grant cache) is not built yet.
// It says so and fails rather than let a workflow believe it applied anything; the CLI works today.
async function main() {
    console.log("::error::migrate-relay's apply action is not built yet; run the migrate-relay CLI (`node dist/cli.js apply`) in a step instead.");
    process.exitCode = 1;
}

;// CONCATENATED MODULE: ./actions/apply/post.ts
// Placeholder: will save the license grant cache once the action is built.
async function post() { }

;// CONCATENATED MODULE: ./actions/push/main.ts
// Placeholder: the push action's glue (inputs, outputs, job summary, grant cache) is not built yet.
// It says so and fails rather than let a workflow believe it pushed anything; the CLI works today.
async function main_main() {
    console.log("::error::migrate-relay's push action is not built yet; run the migrate-relay CLI (`node dist/cli.js push`) in a step instead.");
    process.exitCode = 1;
}

;// CONCATENATED MODULE: ./actions/push/post.ts
// Placeholder: will save the license grant cache once the action is built.
async function post_post() { }

;// CONCATENATED MODULE: ./scripts/bundle-entry.ts
// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call.






var __webpack_exports__applyMain = __webpack_exports__.AM;
var __webpack_exports__applyPost = __webpack_exports__.tU;
var __webpack_exports__pushMain = __webpack_exports__.c9;
var __webpack_exports__pushPost = __webpack_exports__.xr;
var __webpack_exports__runCli = __webpack_exports__.ak;
export { __webpack_exports__applyMain as applyMain, __webpack_exports__applyPost as applyPost, __webpack_exports__pushMain as pushMain, __webpack_exports__pushPost as pushPost, __webpack_exports__runCli as runCli };
