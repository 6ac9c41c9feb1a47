using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Domain.Provinces;
using Registry.Domain.Residents;

namespace Registry.Api.Provinces;

/// <summary>The <c>/reorganisations</c> resource: starting a province merger plan and following its run.</summary>
public static class ReorganisationsApi
{
    /// <summary>Longest plan accepted: the 2025 plan is under 2 KB; a plan names at most the 63 units.</summary>
    private const int MaxPlanBytes = 64 * 1024;

    private const string PlanIdField = "planId";

    /// <summary>Maps the reorganisation endpoints.</summary>
    public static IEndpointRouteBuilder MapReorganisationsApi(this IEndpointRouteBuilder endpoints)
    {
        var reorganisations = endpoints.MapGroup("/reorganisations").WithTags("Provinces").RequireClusterConnection();
        reorganisations.MapPut("/{planId}", StartAsync)
            .WithName("StartReorganisation")
            .RequireAuthorization(RegistryPolicies.Administer)
            .Accepts<string>("text/csv")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Start a province merger plan (central administrators)")
            .WithDescription("The body is the plan as CSV with the header code,name,kind,formed_from, one line per resulting unit, formed_from " +
                             "listing ';'-separated the codes merged into it, its own first (the format of provinces-2025.csv, shipped in " +
                             "src/Registry.Domain/Provinces/Data). effectiveOn (yyyy-MM-dd) is the first day of the new units; the run starts on " +
                             "that day, or at once if it has passed. Absorbed provinces are refused as relocation destinations from the start of the " +
                             "run; every living resident's address moves to the surviving code while ID numbers keep theirs. The plan id is the " +
                             "run's idempotency key: the same plan again answers with its progress; another plan under the same id is a 409. A plan " +
                             "with a cycle, an unknown code or a code merged twice is refused with 400 naming the line, and nothing changes.");
        reorganisations.MapGet("/{planId}", GetAsync)
            .WithName("GetReorganisation")
            .RequireAuthorization(RegistryPolicies.Read)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A reorganisation run's progress: status, residents moved, each absorbed province");
        return endpoints;
    }

    private static async Task<Results<Accepted<ReorganisationProgress>, RefusalProblem>> StartAsync(
        string planId, string? effectiveOn, HttpRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var errors = new FieldErrors();
        var effective = DateOnly.TryParseExact(effectiveOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : (DateOnly?)null;
        errors.Add("effectiveOn", effective is null ? "The effective date is required as yyyy-MM-dd." : null);
        if (request.ContentLength > MaxPlanBytes)
        {
            errors.Add("plan", $"A plan has at most {MaxPlanBytes} bytes.");
        }

        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        string text;
        using (var reader = new StreamReader(request.Body))
        {
            var buffer = new char[MaxPlanBytes + 1];
            var read = await reader.ReadBlockAsync(buffer);
            if (read > MaxPlanBytes)
            {
                return RequestProblems.Invalid([new FieldError("plan", $"A plan has at most {MaxPlanBytes} characters.")]);
            }

            text = new string(buffer, 0, read);
        }

        var units = ProvinceUnits.After(await cluster.GetGrain<IProvinceUnitsGrain>(0).GetPlansAsync());
        var (plan, planErrors) = ReorganisationPlans.Parse(planId, effective!.Value, new StringReader(text), units.Current);
        if (plan is null)
        {
            return RequestProblems.Invalid(planErrors.Select(InRequestTerms));
        }

        return await cluster.GetGrain<IReorganisationGrain>(plan.Id).StartAsync(plan, user.ToActor()) switch
        {
            ReorganisationStarted started => TypedResults.Accepted($"/reorganisations/{Uri.EscapeDataString(plan.Id)}", started.Progress),
            ReorganisationRefused refused => RequestProblems.For(refused.Refusal with { Errors = [.. refused.Refusal.Errors.Select(InRequestTerms)] }),
            var other => throw new InvalidOperationException($"Unknown outcome {other.GetType().Name}."),
        };
    }

    private static async Task<Results<Ok<ReorganisationProgress>, RefusalProblem>> GetAsync(string planId, IClusterClient cluster)
    {
        if (ReorganisationPlans.CheckId(planId) is { } invalid)
        {
            return RequestProblems.For(Refusal.Invalid(PlanIdField, invalid));
        }

        // A run stores its plan only after the units grain accepted it, so a plan that grain does not list was never
        // started. Asking it first answers an unknown id without activating a run grain (and reading storage) for
        // every id a caller tries; a listed plan whose run never stored it still answers 404 from the run itself.
        var plans = await cluster.GetGrain<IProvinceUnitsGrain>(0).GetPlansAsync();
        return plans.Any(plan => plan.Id == planId) && await cluster.GetGrain<IReorganisationGrain>(planId).GetProgressAsync() is { } progress
            ? TypedResults.Ok(progress)
            : RequestProblems.For(new Refusal(RefusalKind.NotFound, "No reorganisation has this id.", [new FieldError(PlanIdField, $"No plan was started as '{planId}'.")]));
    }

    // The plan's own rules name its id "id"; over HTTP it is the route's {planId}.
    private static FieldError InRequestTerms(FieldError error) => error.Field == "id" ? error with { Field = PlanIdField } : error;
}
