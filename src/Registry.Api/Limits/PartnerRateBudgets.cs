using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Registry.Database.Partners;

namespace Registry.Api.Limits;

/// <summary>
/// The budgets ministry partners' stored policies grant (<c>requestsPerMinute</c>, set by central administrators), held
/// in memory because the limiter asks on every request of a partner: loaded before the API serves its first request,
/// reloaded every <see cref="RateLimitOptions.PartnerRefresh"/>, and at once after a policy is set through this process.
/// Another API process sees a changed rate at its next reload. A partner without a policy has its role's budget (and
/// may do nothing anyway).
/// </summary>
public sealed partial class PartnerRateBudgets(
    PartnerPolicyStore policies, IOptions<RateLimitOptions> options, ILogger<PartnerRateBudgets> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private FrozenDictionary<string, int> _perMinute = FrozenDictionary<string, int>.Empty;
    private Task _reloading = Task.CompletedTask;

    /// <summary>
    /// Requests per <see cref="RateLimitOptions.Window"/> for <paramref name="partnerId"/>, or null for its role's budget:
    /// the policy's rate per minute scaled to the window, at least one.
    /// </summary>
    public int? BudgetOf(string partnerId)
    {
        if (!_perMinute.TryGetValue(partnerId, out var perMinute))
        {
            return null;
        }

        var permits = Math.Ceiling(perMinute * options.Value.Window.TotalMinutes);
        return (int)Math.Clamp(permits, 1, int.MaxValue);
    }

    /// <summary>Reads every partner's rate again; call after changing a policy.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var all = await policies.ListAsync(cancellationToken);
        _perMinute = all.ToFrozenDictionary(policy => policy.PartnerId, policy => policy.RequestsPerMinute, StringComparer.Ordinal);
    }

    /// <summary>Loads the rates before the first request; a database that is not there yet leaves role budgets until the next reload.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogReloadFailed(logger, failure);
        }

        _reloading = ReloadPeriodicallyAsync(_stopping.Token);
    }

    /// <summary>Stops reloading.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();

    private async Task ReloadPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.PartnerRefresh);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await ReloadAsync(stopping);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    // The rates in memory stay; a partner keeps its last known budget until the database answers again.
                    LogReloadFailed(logger, failure);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the partners' rates from their policies; the budgets in memory stay until the next reload")]
    private static partial void LogReloadFailed(ILogger logger, Exception failure);
}
