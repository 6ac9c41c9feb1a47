using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Registry.Database.Audit;

namespace Registry.Api.Audit;

/// <summary>Seals this process's audit chains every <see cref="AuditOptions.SealPeriod"/> (the log seals them once more as it stops).</summary>
public sealed partial class AuditSealing(AuditLog log, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditSealing> logger) : BackgroundService
{
    /// <inheritdoc />
    [SuppressMessage("Design", "CA1031", Justification = "A failed seal is retried at the next tick; the sealing must outlive a database restart.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SealPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await log.SealAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSealFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the log seals the chains' ends when it is disposed.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing the audit chains failed; retried at the next tick")]
    private static partial void LogSealFailed(ILogger logger, Exception exception);
}
