using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Registry.Api.Access;
using Registry.Contracts.Access;
using Registry.Tokens;

namespace Registry.Api.Limits;

/// <summary>
/// Per-client rate limits: each client (a token's role and subject; without a valid token, the remote address) spends
/// its own budget in fixed windows, and a client over budget gets 429 problem details with <c>Retry-After</c> while
/// every other client goes on. Runs after authentication, which names the client, and before authorization, so that
/// a flood of refused requests is slowed down too.
/// </summary>
public static class RateLimits
{
    /// <summary>Title of every 429.</summary>
    public const string Title = "Too many requests from this client; nothing was read or changed.";

    /// <summary>Registers the checked budgets, the partners' budgets from their policies and the limiter.</summary>
    public static WebApplicationBuilder AddRegistryRateLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PartnerRateBudgets>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PartnerRateBudgets>());
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientBudget>(
                context => RateLimitPartition.GetFixedWindowLimiter(ClientBudget.Of(context), budget => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = budget.Permits,
                    Window = budget.Window,
                    // No queue: a request over budget is answered at once rather than held open on the server.
                    QueueLimit = 0,
                }));
            limiter.OnRejected = WriteRejectionAsync;
        });
        return builder;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var budget = ClientBudget.Of(context);
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : budget.Window;
        // Whole seconds (RFC 9110 §10.2.3), rounded up so that a client waiting as told finds the next window open.
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = Title,
                Detail = string.Create(
                    CultureInfo.InvariantCulture,
                    $"This client may make {budget.Permits} requests per {budget.Window.TotalSeconds:0} seconds; try again in {seconds} seconds."),
            },
        });
    }

    /// <summary>
    /// A client and its budget. The budget is part of the partition's key, so that a partner whose rate changes gets a
    /// fresh window at the new rate instead of keeping the old one until the limiter forgets it.
    /// </summary>
    private readonly record struct ClientBudget(string Client, int Permits, TimeSpan Window)
    {
        public static ClientBudget Of(HttpContext context)
        {
            var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            if (context.User.Identity?.IsAuthenticated == true && context.User.TryReadActor(out var actor, out _))
            {
                var role = ActorClaims.RoleName(actor.Role);
                var permits = actor.Role == ActorRole.MinistryPartner
                    ? context.RequestServices.GetRequiredService<PartnerRateBudgets>().BudgetOf(actor.Id)
                    : null;
                return new($"{role}:{actor.Id}", permits ?? options.BudgetOf(actor.Role), options.Window);
            }

            return new($"address:{context.Connection.RemoteIpAddress}", options.Anonymous, options.Window);
        }
    }
}
