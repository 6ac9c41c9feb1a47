using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.ServiceDefaults;
using Registry.TestSupport;
using Registry.Tokens;

namespace Registry.Cluster.Tests.Operations;

/// <summary>
/// Issue 13's metrics on a silo process: its HTTP port serves <c>/metrics</c> to operators only, by the API's token rules,
/// with what its grains counted (a registration, a relocation) beside Orleans' and ASP.NET Core's meters, and no personal
/// ID number.
/// </summary>
public sealed partial class SiloMetricsTests
{
    private static readonly RegistryAuthOptions Auth = new()
    {
        Issuer = "registry-metrics-tests",
        Audience = "registry-api-tests",
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    private static readonly Actor Administrator = new("metrics-test", ActorRole.CentralAdministrator, null);

    /// <summary>
    /// No token → 401; a citizen's, an officer's, an administrator's or a partner's → 403; an operator's → 200 with the
    /// registration and the relocation this silo stored, Orleans' and ASP.NET Core's series, and no personal ID number.
    /// </summary>
    [Fact]
    public async Task A_silo_serves_its_metrics_to_operators_only()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(SiloMetricsTests));
        var clusterId = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await SiloProcess.StartAsync("metrics-1", scratch.ConnectionString, clusterId, new Dictionary<string, string>
        {
            ["Registry__Auth__Issuer"] = Auth.Issuer!,
            ["Registry__Auth__Audience"] = Auth.Audience!,
            ["Registry__Auth__SigningKey"] = Auth.SigningKey!,
        });
        var tokens = new RegistryTokens(Auth, TimeProvider.System);
        using var http = new HttpClient { BaseAddress = silo.HttpUri };

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, token: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, token: "let-me-in")).Status);
        foreach (var actor in new[] { TestActors.Citizen("001090000001"), TestActors.Officer("001"), TestActors.Administrator, TestActors.Partner("ministry-of-health") })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, tokens.Issue(actor, TimeSpan.FromHours(1)))).Status);
        }

        var operatorToken = tokens.Issue(TestActors.Operator, TimeSpan.FromHours(1));
        using var client = await ConnectAsync(scratch.ConnectionString, clusterId);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        Assert.Null(await grains.Province("048").SetCommuneAsync(new Commune("20194", "Phường Hải Châu")));
        var registration = new RegisterResident($"metrics-{clusterId}", "Nguyễn Thị Đo Lường", new DateOnly(1990, 5, 17), Sex.Female, "079")
        {
            Actor = Administrator,
            ConfirmedNotDuplicate = true,
        };
        var person = await RegisterAsync(grains, registration);
        var move = new Relocate($"metrics-move-{clusterId}", Administrator, new ResidenceAddress("048", "20194", "1 Bạch Đằng"), new DateOnly(2026, 3, 1), null);
        Assert.IsType<Changed>(await grains.Citizen(person.PersonalIdNumber).RelocateAsync(move));

        // The exporter may answer a scrape from a copy it made a moment earlier: wait until the copy is fresh.
        var text = await Eventually.ValueAsync(
            async () => (await GetAsync(http, operatorToken)).Text,
            text => text.Contains("registry_registrations_total{", StringComparison.Ordinal) && RelocatedTo048().IsMatch(text),
            Eventually.MinimumBound,
            "the silo's registration and relocation are counted");

        Assert.Matches(OrleansSeries(), text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.PersonalIdNumber.Value, text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, token: null, "/health/ready")).Status);
    }

    private static async Task<(HttpStatusCode Status, string Text)> GetAsync(HttpClient http, string? token, string path = MetricsEndpoint.Path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<ResidentRecord> RegisterAsync(IClusterClient grains, RegisterResident command)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Assert.IsType<Registered>(await grains.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // The silo was still warming up; the same key again finishes the registration.
            }
        }
    }

    private static async Task<IHost> ConnectAsync(string connectionString, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, RegistryTestCluster.ServiceId));
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = RegistryDatabase.Invariant;
                options.ConnectionString = connectionString;
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    // A relocation counter of destination 048 above zero: the sample's value starts with a digit from 1 to 9.
    [GeneratedRegex("^registry_relocations_total\\{[^}]*province=\"048\"[^}]*\\} [1-9]", RegexOptions.Multiline)]
    private static partial Regex RelocatedTo048();

    [GeneratedRegex("^orleans_[a-z_]+", RegexOptions.Multiline)]
    private static partial Regex OrleansSeries();
}
