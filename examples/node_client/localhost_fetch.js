// The fetch this client gives openid-client for its own calls (discovery, JWKS, token,
// userinfo): undici's fetch through an Agent that resolves `*.localhost` to loopback.
//
// Why: Node's resolver (getaddrinfo) does not know `franceconnect.localhost` on most
// systems, and Node's fetch drops a Host header set by hand, so "call 127.0.0.1 with
// the Host header kept" does not work from Node. Resolving the name ourselves keeps
// the URL, the Host header and the issuer exactly as FranceConnect announces them.
// Every other name goes to the system's resolver as usual.

import { lookup as systemLookup } from 'node:dns'
import { Agent, fetch as undiciFetch } from 'undici'

// RFC 6761: `localhost` and every name under it are the loopback address.
export function isLocalhostName (hostname) {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return name === 'localhost' || name.endsWith('.localhost')
}

// The `lookup` signature of node:net (`all` is set when Node tries several addresses).
export function localhostLookup (hostname, options, callback) {
  if (!isLocalhostName(hostname)) {
    return systemLookup(hostname, options, callback)
  }
  if (options && options.all) {
    return callback(null, [{ address: '127.0.0.1', family: 4 }])
  }
  return callback(null, '127.0.0.1', 4)
}

const agent = new Agent({ connect: { lookup: localhostLookup } })

// openid-client 6 takes it as `[client.customFetch]`: (url, options) => Response.
export function localhostFetch (url, options) {
  return undiciFetch(url, { ...options, dispatcher: agent })
}
