extern alias RegistryApi;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Registry.Api.Limits;
using Registry.ServiceDefaults;
using Registry.TestSupport;
using Registry.Tokens;

namespace Registry.Api.Tests.Hosting;

/// <summary>
/// The API's own <c>Program</c>, configured only through the settings an operator would give it: the database,
/// the cluster to join and the token settings. Everything else (routes, problem details, the cluster client,
/// authentication) is production code.
/// </summary>
/// <param name="connectionString">The fixture's database, which also holds the membership table.</param>
/// <param name="clusterId">The test cluster's id, so that the client finds that cluster's gateways.</param>
/// <param name="auth">Issuer, audience and signing key the host checks tokens against.</param>
/// <param name="settings">More settings, e.g. tiny rate budgets or an external issuer, for a host of its own.</param>
internal sealed class RegistryApiFactory(string connectionString, string clusterId, RegistryAuthOptions auth, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<RegistryApi::Program>
{
    /// <summary>
    /// Budgets no test reaches: the suite's tests share a few tokens and would otherwise spend each other's budget.
    /// Tests of the limits start a host of their own with tiny ones.
    /// </summary>
    private const string UnreachedBudget = "1000000";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Production, as deployed: no developer exception page to hide what callers would really get.
        builder.UseEnvironment(Environments.Production);
        // Host settings, not ConfigureAppConfiguration: Program reads the connection string before it builds the
        // app, and app configuration added by the factory only arrives when it builds.
        builder.UseSetting(RegistryDatabase.ConnectionStringKey, connectionString);
        builder.UseSetting("Orleans:ClusterId", clusterId);
        builder.UseSetting("Orleans:ServiceId", RegistryTestCluster.ServiceId);
        builder.UseSetting(RegistryAuthOptions.KeyOf(nameof(RegistryAuthOptions.Issuer)), auth.Issuer);
        builder.UseSetting(RegistryAuthOptions.KeyOf(nameof(RegistryAuthOptions.Audience)), auth.Audience);
        builder.UseSetting(RegistryAuthOptions.KeyOf(nameof(RegistryAuthOptions.SigningKey)), auth.SigningKey);
        foreach (var budget in new[]
                 {
                     nameof(RateLimitOptions.ProvincialOfficer), nameof(RateLimitOptions.CentralAdministrator), nameof(RateLimitOptions.MinistryPartner),
                     nameof(RateLimitOptions.Citizen), nameof(RateLimitOptions.Operator), nameof(RateLimitOptions.Anonymous),
                 })
        {
            builder.UseSetting($"{RateLimitOptions.Section}:{budget}", UnreachedBudget);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
