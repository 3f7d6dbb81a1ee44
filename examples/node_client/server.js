// "Service Node": a relying party of the mock FranceConnect on node:http, no framework.
//
//   FC_ISSUER=http://franceconnect.localhost:8765/api/v2 FC_CLIENT_ID=… FC_CLIENT_SECRET=… \
//   PORT=5000 node examples/node_client/server.js
//
// PORT=0 takes any free port. Once FranceConnect's discovery has been read and the port
// is bound, the first line on stdout is `listening on <base URL>`.

import { randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'

import { discover, finishSignIn, logoutUrl, RefusedAnswer, startSignIn } from './franceconnect.js'

const SERVICE = process.env.APP_NAME || 'Service Node'
const COOKIE = 'node_rp_session'
const CLAIMS = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'email']

function required (name) {
  const value = process.env[name]
  if (!value) {
    console.error(`${name} is not set: FC_ISSUER, FC_CLIENT_ID and FC_CLIENT_SECRET are required (see README.md)`)
    process.exit(2)
  }
  return value
}

// Server-side sessions: the browser holds only a random id.
const sessions = new Map()

function sessionOf (req, res) {
  const sid = /(?:^|;\s*)node_rp_session=([\w-]{43})(?:;|$)/.exec(req.headers.cookie || '')?.[1]
  if (sid && sessions.has(sid)) return sessions.get(sid)
  const id = randomBytes(32).toString('base64url')
  const session = { id, csrf: randomBytes(32).toString('base64url') }
  sessions.set(id, session)
  res.setHeader('Set-Cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`)
  return session
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page (res, status, title, body) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'"
  })
  res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)} — ${escape(SERVICE)}</title></head>
<body><main>${body}</main></body></html>`)
}

function redirect (res, location) {
  res.writeHead(303, { Location: String(location), 'Cache-Control': 'no-store' })
  res.end()
}

function errorPage (res, status, error) {
  page(res, status, 'Erreur', `<div role="alert"><h1>La connexion avec FranceConnect n'a pas abouti.</h1>
<p><code data-error="code">${escape(error.code)}</code> <span data-error="description">${escape(error.description || '')}</span></p></div>
<p><a href="/">Retour à l'accueil</a></p>`)
}

function home (res, session) {
  const user = session.user
  if (!user) {
    page(res, 200, 'Accueil', `<h1>${escape(SERVICE)}</h1>
<form method="get" action="/login"><button type="submit">S'identifier avec FranceConnect</button></form>`)
    return
  }
  const rows = CLAIMS.filter((claim) => claim in user.userinfo)
    .map((claim) => `<dt>${claim}</dt><dd data-claim="${claim}">${escape(user.userinfo[claim])}</dd>`).join('\n')
  page(res, 200, 'Mon espace', `<h1>Bonjour ${escape(user.userinfo.given_name)} ${escape(user.userinfo.family_name)}</h1>
<h2>Informations transmises par FranceConnect</h2>
<dl>${rows}</dl>
<h2>Connexion</h2>
<dl><dt>acr</dt><dd data-id-token="acr">${escape(user.claims.acr)}</dd>
<dt>auth_time</dt><dd data-id-token="auth_time">${escape(new Date(user.claims.auth_time * 1000).toISOString())}</dd></dl>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${escape(session.csrf)}">
<button type="submit">Se déconnecter</button></form>`)
}

function sameToken (given, expected) {
  const a = Buffer.from(String(given || ''))
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function formBody (req) {
  let body = ''
  for await (const chunk of req) {
    body += chunk
    if (body.length > 4096) break
  }
  return new URLSearchParams(body)
}

export async function createServer ({ issuer, clientId, clientSecret, baseUrl }) {
  const config = await discover({ issuer, clientId, clientSecret })
  const base = () => baseUrl()

  return http.createServer(async (req, res) => {
    const url = new URL(req.url, base())
    const session = sessionOf(req, res)
    try {
      if (req.method === 'GET' && url.pathname === '/') return home(res, session)

      if (req.method === 'GET' && url.pathname === '/login') {
        const { url: authorize, pending } = await startSignIn(config, `${base()}/callback`)
        session.pending = pending
        return redirect(res, authorize)
      }

      if (req.method === 'GET' && url.pathname === '/callback') {
        const pending = session.pending
        delete session.pending // one answer per request, whatever it is
        if (!pending) throw new RefusedAnswer('no_pending_sign_in', 'this browser has no sign-in under way')
        const user = await finishSignIn(config, url, pending)
        sessions.delete(session.id) // a new session id once signed in
        const fresh = sessionOf({ headers: {} }, res)
        fresh.user = user
        return redirect(res, `${base()}/`)
      }

      if (req.method === 'POST' && url.pathname === '/logout') {
        const form = await formBody(req)
        if (!sameToken(form.get('csrf'), session.csrf)) {
          return page(res, 400, 'Requête refusée', '<div role="alert"><h1>Requête refusée.</h1></div>')
        }
        if (!session.user) return redirect(res, `${base()}/`)
        const { url: endSession, state } = logoutUrl(config, session.user.idToken, `${base()}/logged-out`)
        delete session.user
        session.logoutState = state
        return redirect(res, endSession)
      }

      if (req.method === 'GET' && url.pathname === '/logged-out') {
        const expected = session.logoutState
        delete session.logoutState
        if (!expected || !sameToken(url.searchParams.get('state'), expected)) {
          throw new RefusedAnswer('invalid_state', 'the logout answer does not carry the state this service sent')
        }
        return page(res, 200, 'Déconnecté', `<p role="status">Vous êtes déconnecté.</p>
<form method="get" action="/login"><button type="submit">S'identifier avec FranceConnect</button></form>`)
      }

      page(res, 404, 'Page introuvable', '<h1>Page introuvable</h1><p><a href="/">Retour à l\'accueil</a></p>')
    } catch (error) {
      if (error instanceof RefusedAnswer) return errorPage(res, 400, error)
      console.error(error)
      errorPage(res, 500, new RefusedAnswer('server_error', error.message))
    }
  })
}

async function main () {
  const issuer = required('FC_ISSUER')
  const clientId = required('FC_CLIENT_ID')
  const clientSecret = required('FC_CLIENT_SECRET')
  const host = process.env.APP_HOST || 'localhost' // the name the browser uses
  const listenOn = process.env.LISTEN || '127.0.0.1'
  const port = Number(process.env.PORT ?? 5000)
  let baseUrl
  const server = await createServer({ issuer, clientId, clientSecret, baseUrl: () => baseUrl })
  server.listen(port, listenOn, () => {
    baseUrl = `http://${host}:${server.address().port}`
    console.log(`listening on ${baseUrl}`)
  })
  const stop = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error) => {
  console.error(`could not start: ${error.message}${error.cause ? ` (${error.cause.message || error.cause})` : ''}`)
  process.exit(1)
})
