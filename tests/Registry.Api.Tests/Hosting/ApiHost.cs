using System.Net;
using System.Net.Http.Headers;

namespace Registry.Api.Tests.Hosting;

/// <summary>
/// A second API host on the fixture's cluster, with settings of its own (tiny rate budgets, an external issuer), on a
/// free loopback port; the fixture's shared host keeps its settings. Dispose it.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly RegistryApiFactory _factory;

    private ApiHost(RegistryApiFactory factory) => _factory = factory;

    /// <summary>Starts a host joined to <paramref name="api"/>'s cluster, with its token settings and <paramref name="settings"/> added.</summary>
    public static async Task<ApiHost> StartAsync(ApiFixture api, IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(api);
        var factory = new RegistryApiFactory(api.ConnectionString, api.Cluster.Options.ClusterId, api.Auth, settings);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await Task.Run(factory.StartServer).WaitAsync(TimeSpan.FromSeconds(60));
        return new ApiHost(factory);
    }

    /// <summary>A client sending <c>Authorization: Bearer <paramref name="token"/></c> (none when null) and the default purpose. Dispose it.</summary>
    public HttpClient ClientWithToken(string? token)
    {
        var client = _factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        ApiFixture.StatePurpose(client);
        return client;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
