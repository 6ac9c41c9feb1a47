namespace Registry.Api.Hosting;

/// <summary>
/// Whether the API's cluster client currently has a gateway. Grain calls made without one fail with errors
/// that say nothing about the cause, so endpoints ask here first and answer 503 instead.
/// </summary>
public sealed partial class ClusterConnection(ILogger<ClusterConnection> logger) : IClusterConnectionStatusObserver
{
    private int _gateways;

    /// <summary>True while at least one gateway is connected.</summary>
    public bool IsConnected => Volatile.Read(ref _gateways) > 0;

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        Volatile.Write(ref _gateways, currentNumberOfGateways);
        LogGateways(logger, currentNumberOfGateways, previousNumberOfGateways);
    }

    /// <inheritdoc />
    public void NotifyClusterConnectionLost()
    {
        Volatile.Write(ref _gateways, 0);
        LogLost(logger);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected gateways: {Current} (was {Previous})")]
    private static partial void LogGateways(ILogger logger, int current, int previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the registry cluster lost")]
    private static partial void LogLost(ILogger logger);
}

/// <summary>Answers 503 for endpoints that need the cluster while the client has no gateway.</summary>
public static class ClusterConnectionFilter
{
    /// <summary>Refuses the group's requests with 503 problem details while the cluster is not reachable.</summary>
    public static RouteGroupBuilder RequireClusterConnection(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ClusterConnection>().IsConnected
                ? await next(context)
                : TypedResults.Problem(
                    title: "The registry cluster is not reachable; nothing was changed. Retry later.",
                    statusCode: StatusCodes.Status503ServiceUnavailable))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
