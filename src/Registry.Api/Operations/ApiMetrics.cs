using Registry.Database.Telemetry;
using Registry.ServiceDefaults;

namespace Registry.Api.Operations;

/// <summary>
/// The API's metrics (<see cref="MetricsEndpoint"/>): the registry's meter, into which this process records the audit
/// rows it commits and every request it refuses, beside the common meters; served to operators at <c>/metrics</c>.
/// </summary>
/// <remarks>
/// <c>/metrics</c> spends the operator's rate budget like any request (<c>Registry:RateLimits:Operator</c>, 600 per
/// minute by default): a scraper every 15 seconds spends 4 of them, so exempting it would only open a door around the
/// limiter. A deployment with many scrapers sharing one operator token raises that budget rather than removing it.
/// </remarks>
public static class ApiMetrics
{
    /// <summary>Collects the registry's meter and the common ones.</summary>
    public static WebApplicationBuilder AddApiMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRegistryMetrics(RegistryMetrics.MeterName);
        return builder;
    }

    /// <summary>
    /// Counts every answer of 400 or above by kind and status, and maps <c>/metrics</c> for operators. Call first, so that
    /// the answers of every later middleware (the audit's 503, authentication's 401, the limiter's 429) are counted.
    /// </summary>
    public static WebApplication UseApiMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(CountRefusalsAsync);
        app.MapRegistryMetrics();
        return app;
    }

    private static async Task CountRefusalsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch
        {
            // Counted as the 500 it becomes, then left to the server.
            RegistryMetrics.Answered(StatusCodes.Status500InternalServerError);
            throw;
        }

        RegistryMetrics.Answered(context.Response.StatusCode);
    }
}
