using Microsoft.Extensions.Options;

namespace Registry.Api.Limits;

/// <summary>
/// The rate a ministry partner's policy grants it, if it has its own. Asked on every request of a partner, so an
/// implementation answers from memory (e.g. a cache of the stored partner policies), never by a call per request.
/// </summary>
public interface IPartnerRateBudgets
{
    /// <summary>Requests per <see cref="RateLimitOptions.Window"/> for <paramref name="partnerId"/>, or null for its role's budget.</summary>
    int? BudgetOf(string partnerId);
}

/// <summary>Partner budgets from <c>Registry:RateLimits:Partners</c>, until partner policies stored in the registry carry them.</summary>
internal sealed class ConfiguredPartnerRateBudgets(IOptionsMonitor<RateLimitOptions> options) : IPartnerRateBudgets
{
    public int? BudgetOf(string partnerId) =>
        options.CurrentValue.Partners.TryGetValue(partnerId, out var budget) ? budget : null;
}
