using Microsoft.Extensions.Options;
using Npgsql;
using Registry.Database.Audit;

namespace Registry.Api.Audit;

/// <summary>The audit log in the API: its writer, the periodic seal and the middleware that holds responses until audited.</summary>
public static partial class AuditHosting
{
    /// <summary>The one environment (<c>ASPNETCORE_ENVIRONMENT</c>) in which <see cref="AuditOptions.OffForBenchmark"/> is honoured.</summary>
    public const string BenchmarkEnvironment = "Benchmark";

    /// <summary>Registers <c>Registry:Audit</c>, the log's writer (<see cref="AuditLog"/>) and its sealing.</summary>
    public static WebApplicationBuilder AddRegistryAudit(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new AuditLog(
            provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<IOptions<AuditOptions>>().Value.Chains,
            provider.GetRequiredService<ILogger<AuditLog>>()));
        services.AddHostedService<AuditSealing>();
        return builder;
    }

    /// <summary>
    /// Audits the requests to endpoints marked <see cref="AuditedAccessExtensions.AuditsPersonalData"/>. Call it first:
    /// before error handling, authentication and authorization, so that their answers are audited too. (Routing has
    /// already chosen the endpoint: the host adds it before the first middleware.)
    /// </summary>
    public static WebApplication UseRegistryAudit(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<AuditOptions>>().Value.OffForBenchmark)
        {
            // No audit, no data holds everywhere but in a benchmark of the audit's own cost.
            if (!app.Environment.IsEnvironment(BenchmarkEnvironment))
            {
                throw new InvalidOperationException(
                    $"{AuditOptions.Section}:{nameof(AuditOptions.OffForBenchmark)} serves personal data without auditing it and is refused in the " +
                    $"'{app.Environment.EnvironmentName}' environment; it is honoured only with ASPNETCORE_ENVIRONMENT={BenchmarkEnvironment}.");
            }

            LogAuditOff(app.Logger);
            return app;
        }

        app.UseMiddleware<AuditTrail>();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "THE AUDIT IS OFF: this API serves personal data without auditing it, for a benchmark of the audit's cost only")]
    private static partial void LogAuditOff(ILogger logger);
}
