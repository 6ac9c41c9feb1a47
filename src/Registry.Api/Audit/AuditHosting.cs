using Microsoft.Extensions.Options;
using Npgsql;
using Registry.Database.Audit;

namespace Registry.Api.Audit;

/// <summary>The audit log in the API: its writer, the periodic seal and the middleware that holds responses until audited.</summary>
public static class AuditHosting
{
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
        app.UseMiddleware<AuditTrail>();
        return app;
    }
}
