/**
 * A small Apereo CAS server on 127.0.0.1 for tests. It speaks the real protocols: `/login` redirects
 * back to the service with a ticket (as if the user had an SSO session), and ticket validation
 * answers as CAS does for CAS 1 (`/validate`), CAS 2 (`/serviceValidate`), CAS 3
 * (`/p3/serviceValidate`, with attributes) and SAML 1.1 (`/samlValidate`, a SOAP POST).
 * Tickets are checked against the service they were issued for, but deliberately not consumed, so
 * that tests can prove the DebMonitor side refuses a replayed ticket on its own.
 */

export interface CasServerCall {
  endpoint: string;
  service: string;
  ticket: string;
}

export interface FakeCasServer {
  /** The CAS_SERVER_URL to configure, for example `http://127.0.0.1:41234/cas`. */
  url: string;
  /** Who the next `/login` signs in. */
  setUser(username: string): void;
  /** Every ticket validation received, in order. */
  validations: CasServerCall[];
  /** Every `/logout` received, with its service parameter. */
  logouts: string[];
  stop(): Promise<void>;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function cas2Response(user: string | null, code: string, withAttributes: boolean): string {
  if (!user) {
    return `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
    <cas:authenticationFailure code="${code}">Ticket not recognized</cas:authenticationFailure>
</cas:serviceResponse>\n`;
  }
  const attributes = withAttributes
    ? `
        <cas:attributes>
            <cas:authenticationDate>${new Date().toISOString()}</cas:authenticationDate>
            <cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>
            <cas:isFromNewLogin>true</cas:isFromNewLogin>
            <cas:email>${escapeXml(user)}@example.org</cas:email>
            <cas:memberOf>ops</cas:memberOf>
            <cas:memberOf>sre</cas:memberOf>
        </cas:attributes>`
    : '';
  return `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
    <cas:authenticationSuccess>
        <cas:user>${escapeXml(user)}</cas:user>${attributes}
    </cas:authenticationSuccess>
</cas:serviceResponse>\n`;
}

function samlResponse(user: string | null, recipient: string): string {
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 30_000).toISOString();
  const status = user ? 'samlp:Success' : 'samlp:RequestDenied';
  const assertion = user
    ? `
      <Assertion xmlns="urn:oasis:names:tc:SAML:1.0:assertion" AssertionID="_${crypto.randomUUID()}"
        IssueInstant="${now}" Issuer="localhost" MajorVersion="1" MinorVersion="1">
        <Conditions NotBefore="${now}" NotOnOrAfter="${later}">
          <AudienceRestrictionCondition>
            <Audience>${escapeXml(recipient)}</Audience>
          </AudienceRestrictionCondition>
        </Conditions>
        <AttributeStatement>
          <Subject>
            <NameIdentifier>${escapeXml(user)}</NameIdentifier>
            <SubjectConfirmation>
              <ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:artifact</ConfirmationMethod>
            </SubjectConfirmation>
          </Subject>
          <Attribute AttributeName="email" AttributeNamespace="http://www.ja-sig.org/products/cas/">
            <AttributeValue>${escapeXml(user)}@example.org</AttributeValue>
          </Attribute>
        </AttributeStatement>
        <AuthenticationStatement AuthenticationInstant="${now}"
          AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:password">
          <Subject>
            <NameIdentifier>${escapeXml(user)}</NameIdentifier>
            <SubjectConfirmation>
              <ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:artifact</ConfirmationMethod>
            </SubjectConfirmation>
          </Subject>
        </AuthenticationStatement>
      </Assertion>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header/>
  <SOAP-ENV:Body>
    <Response xmlns="urn:oasis:names:tc:SAML:1.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"
      xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" IssueInstant="${now}"
      MajorVersion="1" MinorVersion="1" Recipient="${escapeXml(recipient)}" ResponseID="_${crypto.randomUUID()}">
      <Status>
        <StatusCode Value="${status}"></StatusCode>
      </Status>${assertion}
    </Response>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>\n`;
}

/** Starts the server on a free loopback port, under the path `/cas`. */
export function startFakeCasServer(): FakeCasServer {
  const tickets = new Map<string, { service: string; user: string }>();
  const validations: CasServerCall[] = [];
  const logouts: string[] = [];
  let user = 'casuser';
  let serial = 0;

  /** The user of a ticket, or null when it is unknown or was issued for another service. */
  const check = (ticket: string, service: string): string | null => {
    const issued = tickets.get(ticket);
    return issued && issued.service === service ? issued.user : null;
  };

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const service = url.searchParams.get('service') ?? '';
      const ticket = url.searchParams.get('ticket') ?? '';
      switch (url.pathname) {
        case '/cas/login': {
          serial += 1;
          const issued = `ST-${serial}-${crypto.randomUUID().replaceAll('-', '')}-cas`;
          tickets.set(issued, { service, user });
          const back = `${service}${service.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(issued)}`;
          return new Response(null, { status: 302, headers: { Location: back } });
        }
        case '/cas/validate': {
          validations.push({ endpoint: '/validate', service, ticket });
          const found = check(ticket, service);
          return new Response(found ? `yes\n${found}\n` : 'no\n\n', {
            headers: { 'Content-Type': 'text/plain' },
          });
        }
        case '/cas/serviceValidate':
        case '/cas/p3/serviceValidate': {
          const endpoint = url.pathname.slice('/cas'.length);
          validations.push({ endpoint, service, ticket });
          const found = check(ticket, service);
          const body = cas2Response(found, 'INVALID_TICKET', endpoint === '/p3/serviceValidate');
          return new Response(body, { headers: { 'Content-Type': 'application/xml;charset=UTF-8' } });
        }
        case '/cas/samlValidate': {
          if (request.method !== 'POST') return new Response('POST only', { status: 405 });
          const target = url.searchParams.get('TARGET') ?? '';
          const body = await request.text();
          const artifact =
            /<samlp:AssertionArtifact>\s*([^<\s]+)\s*<\/samlp:AssertionArtifact>/.exec(body)?.[1] ?? '';
          validations.push({ endpoint: '/samlValidate', service: target, ticket: artifact });
          return new Response(samlResponse(check(artifact, target), target), {
            headers: { 'Content-Type': 'text/xml;charset=UTF-8' },
          });
        }
        case '/cas/logout':
          logouts.push(service);
          return new Response('<p>You have signed out of CAS.</p>', {
            headers: { 'Content-Type': 'text/html' },
          });
        default:
          return new Response('Not found', { status: 404 });
      }
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}/cas`,
    setUser(name) {
      user = name;
    },
    validations,
    logouts,
    async stop() {
      await server.stop(true);
    },
  };
}
