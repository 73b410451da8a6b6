/**
 * A local HTTP proxy that intercepts HTTPS to chosen vendor hosts: n8n (HTTPS_PROXY) opens a
 * CONNECT tunnel to, say, api.hubapi.com:443; the tunnel ends at a local TLS server holding a
 * certificate for that host (signed by the bench CA n8n trusts), and each request inside is
 * forwarded to the CRM sandbox under that vendor's prefix. Tunnels to any other host are
 * refused, so nothing leaves the machine.
 */
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface InterceptingProxy {
	/** `http://127.0.0.1:<port>`, for HTTPS_PROXY. */
	url: string;
	/** Requests forwarded so far, per intercepted host. */
	forwarded(): Record<string, number>;
	close(): Promise<void>;
}

export interface InterceptionRoute {
	host: string;
	/** Where the host's requests go, e.g. `http://127.0.0.1:4010/hubspot` (read per request). */
	target: () => string;
}

async function listen(server: Server): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return (server.address() as AddressInfo).port;
}

export async function startInterceptingProxy(
	routes: InterceptionRoute[],
	tls: { key: string; cert: string },
): Promise<InterceptingProxy> {
	const counts: Record<string, number> = {};
	const sockets = new Set<Socket>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	};

	// Inside the tunnel: plain HTTP requests to forward, told apart by their Host header.
	const terminator = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
		const host = (req.headers.host ?? '').replace(/:\d+$/, '');
		const route = routes.find((candidate) => candidate.host === host);
		if (!route) {
			res.writeHead(421).end();
			return;
		}
		counts[host] = (counts[host] ?? 0) + 1;
		const target = new URL(route.target());
		const headers = { ...req.headers, host: target.host };
		const upstream = httpRequest(
			{
				hostname: target.hostname,
				port: target.port,
				method: req.method,
				path: `${target.pathname.replace(/\/+$/, '')}${req.url ?? '/'}`,
				headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => {
			if (!res.headersSent) res.writeHead(502);
			res.end();
		});
		req.pipe(upstream);
	});
	terminator.on('connection', track);
	const terminatorPort = await listen(terminator as unknown as Server);

	const proxy = createHttpServer((_req, res) => {
		// Only tunnels: plain-HTTP proxying is not needed (every vendor API is HTTPS).
		res.writeHead(405).end();
	});
	proxy.on('connection', track);
	proxy.on('connect', (req, client: Socket, head: Buffer) => {
		const [host, port] = (req.url ?? '').split(':');
		if (port !== '443' || !routes.some((route) => route.host === host)) {
			client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		const inner = connect(terminatorPort, '127.0.0.1', () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) inner.write(head);
			inner.pipe(client);
			client.pipe(inner);
		});
		track(inner);
		const closeBoth = () => {
			inner.destroy();
			client.destroy();
		};
		inner.on('error', closeBoth);
		client.on('error', closeBoth);
	});
	const port = await listen(proxy);

	return {
		url: `http://127.0.0.1:${port}`,
		forwarded: () => ({ ...counts }),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await Promise.all(
				[proxy, terminator].map(
					(server) => new Promise<void>((resolve) => server.close(() => resolve())),
				),
			);
		},
	};
}
