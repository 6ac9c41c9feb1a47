using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Metrics;

namespace Registry.ServiceDefaults;

/// <summary>
/// Every process's metrics on <see cref="Path"/> in Prometheus' text format, for operators only: the registry's meter,
/// Orleans' (silos and the API's cluster client record into it), ASP.NET Core's (requests, Kestrel, rate limiting,
/// authentication), the .NET runtime's and the process's.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Where a scraper reads the metrics.</summary>
    public const string Path = "/metrics";

    /// <summary>
    /// Orleans' meter (Orleans.Core's instruments: requests, activations, messaging, membership, storage, reminders),
    /// named by Orleans, not by us.
    /// </summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Collects <paramref name="meters"/> (the host's own) and the common ones, for <see cref="MapRegistryMetrics"/>; the
    /// series' <c>target_info</c> names the host's application (<c>Registry.Api</c>, <c>Registry.Silo</c>).
    /// </summary>
    public static IHostApplicationBuilder AddRegistryMetrics(this IHostApplicationBuilder builder, params string[] meters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
            .AddMeter(meters)
            .AddMeter(OrleansMeter)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Maps <see cref="Path"/> for <see cref="BearerAuthentication.OperatorPolicy"/> only (no token 401, another role 403).
    /// </summary>
    /// <remarks>
    /// Not audited: the metrics hold no personal data (their tags are at most a province code, by construction of the
    /// instruments), and a scrape every few seconds would fill the audit log with rows that say nothing about anybody.
    /// Kept to operators all the same: request rates per route, refusals and the cluster's inside are an attacker's map.
    /// </remarks>
    public static IEndpointConventionBuilder MapRegistryMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(BearerAuthentication.OperatorPolicy);
    }
}
