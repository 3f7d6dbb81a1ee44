// FranceConnect through openid-client 6 (panva, OpenID Certified), with every check on:
// the library's own (issuer and `iss` on the authorization response when discovery
// says so, state, nonce, PKCE S256, max_age/auth_time, the id_token's signature
// against the JWKS, aud, exp, iat, the signed userinfo's signature and sub) and the
// two FranceConnect asks of its clients that the library leaves to the application
// in the code flow: `acr` is the one requested, `at_hash` matches the access token.

import { createHash } from 'node:crypto'
import * as client from 'openid-client'

import { localhostFetch } from './localhost_fetch.js'

// The identity pivot and the e-mail (FranceConnect gives claims by scope).
export const SCOPE = 'openid given_name family_name birthdate gender birthplace birthcountry email'
export const ACR = 'eidas1'
// Seconds: an FC session older than this must authenticate the person again.
export const MAX_AGE = 600

export class RefusedAnswer extends Error {
  // What FranceConnect answered that this client refuses (or FC's own error answer).
  constructor (code, description) {
    super(description ? `${code}: ${description}` : code)
    this.code = code
    this.description = description
  }
}

// Discovery, once at start-up: FranceConnect's metadata, the client's registration.
// Over http (a mock on loopback) openid-client needs allowInsecureRequests; the
// signatures of the id_token and of the userinfo JWT are checked against the JWKS
// with enableNonRepudiationChecks (without it, openid-client trusts TLS for them).
export async function discover ({ issuer, clientId, clientSecret, fetch = localhostFetch }) {
  const execute = [client.enableNonRepudiationChecks]
  if (new URL(issuer).protocol === 'http:') execute.unshift(client.allowInsecureRequests)
  return client.discovery(
    new URL(issuer),
    clientId,
    {
      // FranceConnect signs ES256 by default (RS256 when registered so); openid-client
      // expects RS256 unless told, and accepts a userinfo JWT only when this is set.
      id_token_signed_response_alg: 'ES256',
      userinfo_signed_response_alg: 'ES256'
    },
    client.ClientSecretPost(clientSecret),
    { execute, [client.customFetch]: fetch }
  )
}

// The sign-in request and what must be kept (server side) to check its answer.
export async function startSignIn (config, redirectUri) {
  const pending = {
    state: client.randomState(), // 43 characters: FranceConnect wants 32 at least
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    maxAge: MAX_AGE
  }
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    acr_values: ACR,
    state: pending.state,
    nonce: pending.nonce,
    max_age: String(pending.maxAge),
    code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256'
  })
  return { url, pending }
}

function hashAlgorithm (alg) {
  const bits = alg.slice(-3)
  if (!['256', '384', '512'].includes(bits)) throw new RefusedAnswer('invalid_id_token', `unexpected alg ${alg}`)
  return `sha${bits}`
}

// OpenID Connect Core 3.1.3.8: the left half of the access token's hash, base64url.
function checkAtHash (idToken, accessToken, claims) {
  if (typeof claims.at_hash !== 'string') {
    throw new RefusedAnswer('invalid_id_token', 'the id_token has no at_hash (FranceConnect always sends one)')
  }
  const header = JSON.parse(Buffer.from(idToken.split('.')[0], 'base64url').toString('utf8'))
  const digest = createHash(hashAlgorithm(header.alg)).update(accessToken, 'ascii').digest()
  if (digest.subarray(0, digest.length / 2).toString('base64url') !== claims.at_hash) {
    throw new RefusedAnswer('invalid_id_token', 'the id_token\'s at_hash does not match the access token')
  }
}

function refused (error) {
  if (error instanceof RefusedAnswer) return error
  // FranceConnect's own error answers (access_denied…), at the callback or the token endpoint.
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    return new RefusedAnswer(error.error, error.error_description)
  }
  // A check of openid-client that failed: its code (OAUTH_INVALID_RESPONSE…), its message and
  // the one of the check underneath (unexpected "state" response parameter value…).
  const cause = error.cause instanceof Error ? error.cause : undefined
  const description = cause && cause.message !== error.message ? `${error.message}: ${cause.message}` : error.message
  return new RefusedAnswer(cause?.code || error.code || error.name || 'error', description)
}

// The callback: code → tokens → checked id_token → signed userinfo, checked too.
export async function finishSignIn (config, callbackUrl, pending) {
  try {
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      maxAge: pending.maxAge,
      idTokenExpected: true
    })
    const claims = tokens.claims()
    if (claims.acr !== ACR) {
      throw new RefusedAnswer('invalid_id_token', `acr ${JSON.stringify(claims.acr)} is not the ${ACR} requested`)
    }
    checkAtHash(tokens.id_token, tokens.access_token, claims)
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
    return { idToken: tokens.id_token, claims, userinfo }
  } catch (error) {
    throw refused(error)
  }
}

// RP-initiated logout: FranceConnect's end_session_endpoint, and the state to check on return.
export function logoutUrl (config, idToken, postLogoutRedirectUri) {
  const state = client.randomState()
  const url = client.buildEndSessionUrl(config, {
    id_token_hint: idToken,
    post_logout_redirect_uri: postLogoutRedirectUri,
    state
  })
  return { url, state }
}
