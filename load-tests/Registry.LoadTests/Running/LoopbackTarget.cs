using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Registry.LoadTests.Running;

/// <summary>
/// The only place the load generator decides where traffic goes. Load is sent to this machine's loopback
/// (127.0.0.0/8, <c>localhost</c>, ::1) and nowhere else: the base URL is checked before any client
/// exists, and every connection the client opens is checked again, so neither DNS, a proxy variable nor
/// a redirect can send a request elsewhere.
/// </summary>
internal static class LoopbackTarget
{
    /// <summary>Parses and checks <paramref name="text"/>; on failure <paramref name="problem"/> says why, for the user.</summary>
    public static bool TryParse(
        string text, [NotNullWhen(true)] out Uri? baseAddress, [NotNullWhen(false)] out string? problem)
    {
        baseAddress = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"--api '{text}' is not an absolute http:// or https:// URL, e.g. http://127.0.0.1:8080.";
            return false;
        }

        if (!IsLoopbackHost(uri.DnsSafeHost))
        {
            problem = $"Refusing to send load to '{text}': host '{uri.Host}' is not a loopback address. "
                + "This load generator only targets this machine: 127.0.0.0/8, localhost or [::1]. Nothing was sent.";
            return false;
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = $"--api '{text}' must be a plain base URL (no user info, query or fragment), e.g. http://127.0.0.1:8080.";
            return false;
        }

        // A trailing slash makes relative paths ("residents") resolve under the base path, not beside it.
        var builder = new UriBuilder(uri);
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        baseAddress = builder.Uri;
        problem = null;
        return true;
    }

    /// <summary>True for <c>localhost</c> and for IP literals in 127.0.0.0/8 or ::1 (also IPv4-mapped).</summary>
    public static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsLoopback(address);
    }

    /// <summary>
    /// The one HTTP client of a run. Enough pooled connections for every worker to have its own (a load
    /// test should queue in the server, not in the client); no proxy, no redirects, no cookies; and a
    /// connect callback that re-checks every endpoint and never resolves a name through DNS.
    /// </summary>
    public static HttpClient CreateClient(Uri baseAddress, int concurrency, TimeSpan requestTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };

        return new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = requestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        Exception? lastFailure = null;
        foreach (var address in AddressesOf(endpoint.Host))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                lastFailure = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastFailure ?? new NonLoopbackEndpointException($"No loopback address for '{endpoint.Host}'.");
    }

    /// <summary>
    /// Where a connection may go. <c>localhost</c> maps to the loopback addresses directly (RFC 6761 lets us
    /// skip the resolver, and a hosts file can then never redirect it); any non-loopback host throws.
    /// </summary>
    private static IPAddress[] AddressesOf(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsLoopback(address))
        {
            return [address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address];
        }

        throw new NonLoopbackEndpointException($"Refused to connect to '{host}': not a loopback address.");
    }

    private static bool IsLoopback(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? IPAddress.IsLoopback(address.MapToIPv4()) : IPAddress.IsLoopback(address);
}
