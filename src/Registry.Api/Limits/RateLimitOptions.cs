using System.ComponentModel.DataAnnotations;
using Registry.Contracts.Access;

namespace Registry.Api.Limits;

/// <summary>
/// How many requests a client may make per <see cref="Window"/>, from <see cref="Section"/>: a budget per role (a
/// ministry partner's policy may name its own rate: <see cref="PartnerRateBudgets"/>), and per remote address for callers without a valid token.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    /// <summary>Configuration section, e.g. <c>Registry__RateLimits__Citizen=60</c> as an environment variable.</summary>
    public const string Section = "Registry:RateLimits";

    /// <summary>The period a budget is counted over; a client that spends it waits for the next period.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    // Requests per window per client of each role: properties rather than a dictionary keyed by the roles' wire names,
    // whose hyphens no environment variable name can carry. An officer or administrator is one person (or one desk's
    // service), so a few requests per second; a citizen reads their own record now and then.

    /// <summary>Per provincial officer.</summary>
    public int ProvincialOfficer { get; set; } = 1200;

    /// <summary>Per central administrator.</summary>
    public int CentralAdministrator { get; set; } = 3000;

    /// <summary>Per ministry partner whose policy names no rate of its own (a partner without a policy may do nothing).</summary>
    public int MinistryPartner { get; set; } = 600;

    /// <summary>Per citizen.</summary>
    public int Citizen { get; set; } = 60;

    /// <summary>Per operator.</summary>
    public int Operator { get; set; } = 600;

    /// <summary>How often each API process reads the partners' rates from their stored policies again.</summary>
    public TimeSpan PartnerRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Requests per window from one remote address without a valid token: health probes, the API reference, and
    /// refused callers (whose guessing this slows down). Behind a proxy, all its clients share the proxy's address
    /// unless the forwarded-headers middleware is configured.
    /// </summary>
    public int Anonymous { get; set; } = 300;

    /// <summary>The budget of <paramref name="role"/>'s clients.</summary>
    public int BudgetOf(ActorRole role) => role switch
    {
        ActorRole.ProvincialOfficer => ProvincialOfficer,
        ActorRole.CentralAdministrator => CentralAdministrator,
        ActorRole.MinistryPartner => MinistryPartner,
        ActorRole.Citizen => Citizen,
        ActorRole.Operator => Operator,
        _ => Anonymous,
    };

    private IEnumerable<(string Name, int Budget)> Budgets() =>
    [
        (nameof(ProvincialOfficer), ProvincialOfficer),
        (nameof(CentralAdministrator), CentralAdministrator),
        (nameof(MinistryPartner), MinistryPartner),
        (nameof(Citizen), Citizen),
        (nameof(Operator), Operator),
        (nameof(Anonymous), Anonymous),
    ];

    /// <summary>One message per unusable setting, naming its configuration key; checked when the API starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Window <= TimeSpan.Zero || Window > TimeSpan.FromHours(1))
        {
            yield return new($"{Section}:{nameof(Window)} must be positive and at most an hour, e.g. 00:01:00.", [nameof(Window)]);
        }

        foreach (var (name, budget) in Budgets().Where(role => role.Budget < 1))
        {
            yield return new($"{Section}:{name} must be at least 1 request per window.", [name]);
        }

        if (PartnerRefresh < TimeSpan.FromSeconds(1) || PartnerRefresh > TimeSpan.FromHours(1))
        {
            yield return new($"{Section}:{nameof(PartnerRefresh)} must be between a second and an hour, e.g. 00:00:30.", [nameof(PartnerRefresh)]);
        }
    }
}
