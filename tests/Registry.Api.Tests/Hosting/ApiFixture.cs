using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orleans.TestingHost;
using Registry.Api.Access;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.TestSupport;
using Registry.Tokens;
using Xunit;

namespace Registry.Api.Tests.Hosting;

/// <summary>
/// A migrated database of its own, three silos on it, and the real API host listening on a free port of
/// 127.0.0.1. The host's Orleans client finds the silos' gateways through the PostgreSQL membership table, as in
/// production; tests reach the host through real sockets, never through an in-memory test server. Tokens are minted
/// as operators mint them (<see cref="RegistryTokens"/>), with a signing key made for this run.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit ends a fixture's life through IAsyncLifetime.DisposeAsync, which disposes the host.")]
public sealed class ApiFixture : RegistryClusterFixture
{
    // Bounds how long a broken set-up (a client that finds no gateway) takes to say so.
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private RegistryApiFactory? _api;

    /// <summary>The token settings the host was started with; the key is random for each run.</summary>
    public RegistryAuthOptions Auth { get; } = TestTokens.NewSettings();

    /// <summary>Mints tokens the host accepts, exactly as <c>Registry.Admin token</c> does.</summary>
    public RegistryTokens Tokens => new(Auth, TimeProvider.System);

    /// <summary>
    /// A client of the API host, its base address the host's loopback endpoint, carrying a token of
    /// <see cref="TestActors.Administrator"/> so that tests about something else than access pass any check.
    /// </summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Creates the database and starts the cluster, then the API host, and waits until it reports ready.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _api = new RegistryApiFactory(ConnectionString, Cluster.Options.ClusterId, Auth);
        _api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        // Start-up waits until the host's cluster client reaches a gateway, and its retry filter retries for as
        // long as the host runs: bound the wait so that a client that cannot connect fails the run, not hangs it.
        try
        {
            await Task.Run(_api.StartServer).WaitAsync(ReadyTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(
                $"The API host did not start within {ReadyTimeout}: its cluster client reached no gateway of cluster {Cluster.Options.ClusterId}.", ex);
        }

        Http = ClientFor(TestActors.Administrator);
        if (Http.BaseAddress is not { Host: "127.0.0.1", Port: > 0 })
        {
            throw new InvalidOperationException($"The API host should listen on a loopback port, but the client calls {Http.BaseAddress}.");
        }

        await WaitUntilReadyAsync();
    }

    /// <summary>Silos whose next database access can be made to fail (<see cref="DatabaseFaults"/>).</summary>
    protected override void Configure(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<DatabaseFaults.Configurator>();

    /// <summary>Stops the API host before the cluster it is a client of, then the cluster and database.</summary>
    public override async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A new client sending <c>Authorization: Bearer <paramref name="token"/></c>, or no such header when it is null. Dispose it.</summary>
    public HttpClient ClientWithToken(string? token)
    {
        var client = _api?.CreateClient() ?? throw new InvalidOperationException("The API host has not started.");
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        StatePurpose(client);
        return client;
    }

    /// <summary>
    /// The purpose every test client states unless a test removes it, so that tests about something else pass the
    /// purpose check: removing <see cref="PurposeHeaders.Code"/> from the client's default headers tests its absence.
    /// </summary>
    public static void StatePurpose(HttpClient client, string code = "data-quality", string note = "registry test suite")
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Remove(PurposeHeaders.Code);
        client.DefaultRequestHeaders.Remove(PurposeHeaders.Note);
        client.DefaultRequestHeaders.Add(PurposeHeaders.Code, code);
        client.DefaultRequestHeaders.Add(PurposeHeaders.Note, Uri.EscapeDataString(note));
    }

    /// <summary>A new client carrying a valid one-hour token of <paramref name="actor"/>. Dispose it.</summary>
    public HttpClient ClientFor(Actor actor) => ClientWithToken(Tokens.Issue(actor, TimeSpan.FromHours(1)));

    /// <summary>
    /// A plain client of the API host carrying a token of <paramref name="actor"/>, for request bodies that are streamed:
    /// the factory's clients copy every request body into memory so that they can replay it on a redirect. Dispose it.
    /// </summary>
    public HttpClient StreamingClientFor(Actor actor)
    {
        var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Issue(actor, TimeSpan.FromHours(1)));
        StatePurpose(client);
        return client;
    }

    /// <summary>A new client without any token. Dispose it.</summary>
    public HttpClient AnonymousClient() => ClientWithToken(null);

    /// <summary>A key no other request has used.</summary>
    public static string NewIdempotencyKey() => $"api-test-{Guid.NewGuid():N}";

    /// <summary>POST /residents with <paramref name="json"/>, and the key in Idempotency-Key unless it is null.</summary>
    public Task<HttpResponseMessage> RegisterAsync(string? idempotencyKey, string json) => RegisterAsync(Http, idempotencyKey, json);

    /// <summary>POST /residents through <paramref name="client"/>, e.g. one carrying another actor's token.</summary>
    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string? idempotencyKey, string json) =>
        PostAsync(client, "/residents", idempotencyKey, json);

    /// <summary>POST <paramref name="json"/> to <paramref name="path"/> through <paramref name="client"/>, with the key in Idempotency-Key unless it is null.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? idempotencyKey, string json)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>POST <paramref name="json"/> to <paramref name="path"/> as a central administrator.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string? idempotencyKey, string json) => PostAsync(Http, path, idempotencyKey, json);

    /// <summary>GET <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>The resident count of a province, as GET /provinces/{code} reports it.</summary>
    public async Task<long> ResidentsInAsync(string provinceCode)
    {
        using var response = await GetAsync($"/provinces/{provinceCode}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var province = await response.Content.ReadFromJsonAsync<JsonElement>();
        return province.GetProperty("residents").GetInt64();
    }

    /// <summary>
    /// What a refused request must leave as it was: the residents of every province as the API counts them,
    /// the grain states stored by Orleans, and the province ledger's rows.
    /// </summary>
    public async Task<RegistrySnapshot> SnapshotAsync()
    {
        var counts = await Task.WhenAll(ProvinceCatalog.All2024.Select(province => ResidentsInAsync(province.Code)));
        return new RegistrySnapshot(
            counts.Sum(),
            await TestDatabase.ScalarAsync<long>(ConnectionString, $"SELECT count(*) FROM {TestDatabase.RequestStates}"),
            // Every write of a stored grain state bumps its version, so an update in place shows here too.
            await TestDatabase.ScalarAsync<long>(ConnectionString, $"SELECT coalesce(sum(version), 0)::bigint FROM {TestDatabase.RequestStates}"),
            await TestDatabase.ScalarAsync<long>(ConnectionString, "SELECT count(*) FROM registry.province_resident_change"),
            await TestDatabase.ScalarAsync<long>(ConnectionString, "SELECT coalesce(sum(version), 0)::bigint FROM registry.resident"));
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTimeOffset.UtcNow + ReadyTimeout;
        while (true)
        {
            using var response = await GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The API host at {Http.BaseAddress} was not ready within {ReadyTimeout}: " +
                    $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}

/// <summary>Counts that show whether anything was written.</summary>
/// <param name="Residents">Residents of all 63 provinces, from the API.</param>
/// <param name="StoredGrainStates">Rows of Orleans grain storage.</param>
/// <param name="StoredVersions">The sum of their versions: any write moves it.</param>
/// <param name="ProvinceChanges">Rows of the province ledger.</param>
/// <param name="ReadModelVersions">The sum of the read model's row versions: any projected change moves it.</param>
public sealed record RegistrySnapshot(long Residents, long StoredGrainStates, long StoredVersions, long ProvinceChanges, long ReadModelVersions);
