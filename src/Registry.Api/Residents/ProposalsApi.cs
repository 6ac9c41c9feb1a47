using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Access;
using Registry.Domain.Residents;
using Registry.Tokens;

namespace Registry.Api.Residents;

/// <summary>
/// The <c>/proposals</c> resource: deaths and corrections of full name, birth date or sex proposed by one official
/// (<c>POST /residents/{n}/death</c>, <c>/amendments</c>), approved, rejected or withdrawn here, and each province's list
/// of open ones (issue 11: four eyes).
/// </summary>
public static class ProposalsApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    /// <summary>Maps the proposal endpoints and a province's list of open proposals.</summary>
    public static IEndpointRouteBuilder MapProposalsApi(this IEndpointRouteBuilder endpoints)
    {
        var proposals = endpoints.MapGroup("/proposals").WithTags("Proposals").RequireClusterConnection()
            .RequireAuthorization(RegistryPolicies.Write).AuditsPersonalData();
        proposals.MapGet("/{proposalId}", GetAsync)
            .WithName("GetProposal")
            .WithSummary("Read a proposed death or correction and where it stands")
            .WithDescription("For officers of the person's province (when proposed) and central administrators. status is open, approving, " +
                             "approved, rejected, withdrawn or expired (open past expiresAt). States its purpose in Access-Purpose.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        proposals.MapPost("/{proposalId}/approval", ApproveAsync)
            .WithName("ApproveProposal")
            .WithSummary("Approve a proposed death or correction as the second official: the change applies")
            .WithDescription("A second official approves: an officer of the person's province or a central administrator, and for birthDate " +
                             "or sex a central administrator; never the proposer (403). The change then applies through the person's record, " +
                             "whose history names the proposer (actor) and the approver (approvedBy). Repeating the approval answers the same. " +
                             "409 when the proposal expired or was decided by someone else; the change itself may still be refused (e.g. 409 " +
                             "when the person died meanwhile), and the proposal stays open.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        proposals.MapPost("/{proposalId}/rejection", RejectAsync)
            .WithName("RejectProposal")
            .WithSummary("Reject a proposed death or correction as the second official: nothing changes")
            .WithDescription("The same officials as for an approval may reject; never the proposer. Repeating it answers the same.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        proposals.MapPost("/{proposalId}/withdrawal", WithdrawAsync)
            .WithName("WithdrawProposal")
            .WithSummary("Withdraw one's own proposal: nothing changes")
            .WithDescription("Only the proposer withdraws, while the proposal is open. Repeating it answers the same.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        endpoints.MapGet("/provinces/{code}/proposals", ListOpenAsync)
            .WithTags("Proposals")
            .WithName("ListOpenProposals")
            .RequireAuthorization(RegistryPolicies.Write)
            .AuditsPersonalData()
            .WithSummary("List a province's open proposals waiting for a second official, oldest first")
            .WithDescription("For officers of the province and central administrators. Expired proposals are left out. limit: 1 to 1000 " +
                             "(default 100). States its purpose in Access-Purpose.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    /// <summary>Sends <paramref name="change"/> to its proposal and answers 202 with the proposal, or the refusal.</summary>
    internal static async Task<Results<Accepted<ProposalResponse>, RefusalProblem>> ProposeAsync(
        IClusterClient cluster, Contracts.Identity.PersonalIdNumber number, ProposedChange change, HttpResponse response)
    {
        var proposalId = Proposals.IdFor(number, change.IdempotencyKey);
        switch (await cluster.Proposal(proposalId).ProposeAsync(number, change))
        {
            case ProposalAnswered answered:
                if (answered.Replayed)
                {
                    response.Headers["Idempotent-Replayed"] = "true";
                }

                return TypedResults.Accepted($"/proposals/{proposalId}", ProposalResponse.From(answered.Proposal));
            case ProposalRefused refused:
                return RequestProblems.For(refused.Refusal);
            case var outcome:
                throw new InvalidOperationException($"Unknown proposal outcome {outcome.GetType().Name}.");
        }
    }

    private static async Task<Results<Ok<ProposalResponse>, RefusalProblem>> GetAsync(
        string proposalId, ClaimsPrincipal user, IClusterClient cluster, HttpContext context)
    {
        if (StatedPurposeProblem(context) is { } problem)
        {
            return problem;
        }

        if (!Proposals.IsId(proposalId) || await cluster.Proposal(proposalId).GetAsync() is not { } proposal)
        {
            return NotFound(proposalId);
        }

        var actor = user.ToActor();
        if (actor.Id != proposal.Change.Proposer.Id
            && Jurisdiction.RefusalFor(actor, proposal.ProvinceCode, "reads the proposals of") is { } refusal)
        {
            return RequestProblems.For(new Refusal(RefusalKind.Forbidden, "The actor may not read this proposal.", [new FieldError("proposalId", refusal)]));
        }

        Touch(context, proposal);
        return TypedResults.Ok(ProposalResponse.From(proposal));
    }

    private static Task<Results<Ok<ProposalResponse>, RefusalProblem>> ApproveAsync(
        string proposalId, ClaimsPrincipal user, IClusterClient cluster, HttpContext context) =>
        DecideAsync(proposalId, ProposalVerdict.Approve, user, cluster, context);

    private static Task<Results<Ok<ProposalResponse>, RefusalProblem>> RejectAsync(
        string proposalId, ClaimsPrincipal user, IClusterClient cluster, HttpContext context) =>
        DecideAsync(proposalId, ProposalVerdict.Reject, user, cluster, context);

    private static Task<Results<Ok<ProposalResponse>, RefusalProblem>> WithdrawAsync(
        string proposalId, ClaimsPrincipal user, IClusterClient cluster, HttpContext context) =>
        DecideAsync(proposalId, ProposalVerdict.Withdraw, user, cluster, context);

    private static async Task<Results<Ok<ProposalResponse>, RefusalProblem>> DecideAsync(
        string proposalId, ProposalVerdict verdict, ClaimsPrincipal user, IClusterClient cluster, HttpContext context)
    {
        if (!Proposals.IsId(proposalId))
        {
            return NotFound(proposalId);
        }

        var proposal = cluster.Proposal(proposalId);
        var outcome = await proposal.DecideAsync(user.ToActor(), verdict);
        if (await proposal.GetAsync() is { } stored)
        {
            Touch(context, stored);
        }

        switch (outcome)
        {
            case ProposalAnswered answered:
                if (answered.Replayed)
                {
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                }

                return TypedResults.Ok(ProposalResponse.From(answered.Proposal, answered.Applied));
            case ProposalRefused refused:
                context.Audit().Refusal = refused.Refusal.Title;
                return RequestProblems.For(refused.Refusal);
            default:
                throw new InvalidOperationException($"Unknown proposal outcome {outcome.GetType().Name}.");
        }
    }

    private static async Task<Results<Ok<OpenProposalsResponse>, RefusalProblem>> ListOpenAsync(
        string code, int? limit, ClaimsPrincipal user, ProposalList list, TimeProvider time, HttpContext context)
    {
        if (StatedPurposeProblem(context) is { } problem)
        {
            return problem;
        }

        if (!ProvinceCatalog.IsKnown(code))
        {
            return RequestProblems.For(new Refusal(RefusalKind.NotFound, "No province has this code.", [new FieldError("code", $"'{code}' is not a province code.")]));
        }

        if (limit is < 1 or > MaxLimit)
        {
            return RequestProblems.Invalid([new FieldError("limit", $"The limit is 1 to {MaxLimit}.")]);
        }

        if (Jurisdiction.RefusalFor(user.ToActor(), code, "lists the proposals of") is { } refusal)
        {
            return RequestProblems.For(new Refusal(RefusalKind.Forbidden, "The actor may not list this province's proposals.", [new FieldError("code", refusal)]));
        }

        var open = await list.OpenInAsync(code, time.GetUtcNow(), limit ?? DefaultLimit, context.RequestAborted);
        foreach (var proposal in open)
        {
            context.Audit().Touch(proposal.PersonalIdNumber.Value, proposal.Fields);
        }

        return TypedResults.Ok(new OpenProposalsResponse(code, [.. open.Select(OpenProposalResponse.From)]));
    }

    // A read of a person's data states its purpose (issue 11); the audit records it.
    private static RefusalProblem? StatedPurposeProblem(HttpContext context)
    {
        if (!PurposeHeaders.TryRead(context.Request, out var purpose, out var error))
        {
            return RequestProblems.Invalid([new FieldError(PurposeHeaders.Code, error)]);
        }

        context.Audit().Purpose = purpose;
        return null;
    }

    private static void Touch(HttpContext context, Proposal proposal) =>
        context.Audit().Touch(proposal.PersonalIdNumber.Value, FourEyes.FieldsOf(proposal.Change));

    private static RefusalProblem NotFound(string proposalId) =>
        RequestProblems.For(new Refusal(RefusalKind.NotFound, "No proposal has this id.", [new FieldError("proposalId", $"Nothing was proposed under '{proposalId}'.")]));
}

/// <summary>An official as a proposal names them.</summary>
/// <param name="Id">Their id (the token's subject).</param>
/// <param name="Role">Their role's wire name, e.g. <c>provincial-officer</c>.</param>
/// <param name="ProvinceCode">An officer's province.</param>
public sealed record OfficialResponse(string Id, string Role, string? ProvinceCode)
{
    /// <summary>The response for <paramref name="actor"/>.</summary>
    public static OfficialResponse From(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new(actor.Id, ActorClaims.RoleName(actor.Role), actor.ProvinceCode);
    }
}

/// <summary>A proposed death.</summary>
/// <param name="Date">Date of death.</param>
/// <param name="Place">Place of death.</param>
/// <param name="DocumentReference">The death certificate or court decision.</param>
public sealed record ProposedDeathResponse(DateOnly Date, string Place, string DocumentReference);

/// <summary>A proposed correction.</summary>
/// <param name="Reason">Why.</param>
/// <param name="DocumentReference">The supporting document.</param>
/// <param name="Changes">Field name → new value in text form (null clears).</param>
public sealed record ProposedAmendmentResponse(string Reason, string DocumentReference, IReadOnlyDictionary<string, string?> Changes);

/// <summary>A proposal of a death or correction and where it stands.</summary>
/// <param name="Id">The proposal's id; approve it with <c>POST /proposals/{id}/approval</c>.</param>
/// <param name="PersonalIdNumber">The person's number when proposed.</param>
/// <param name="ProvinceCode">The province whose officers may approve (the person's permanent residence when proposed).</param>
/// <param name="Kind"><c>death</c> or <c>amendment</c>.</param>
/// <param name="Fields">The fields the change touches (<c>death</c> for a death).</param>
/// <param name="Death">The death proposed, for a death.</param>
/// <param name="Amendment">The correction proposed, for an amendment.</param>
/// <param name="ProposedBy">The first official.</param>
/// <param name="ProposedAt">When proposed.</param>
/// <param name="ExpiresAt">After this it can no longer be approved.</param>
/// <param name="Status">open, approving, approved, rejected, withdrawn or expired.</param>
/// <param name="DecidedBy">Who approved, rejected or withdrew it.</param>
/// <param name="DecidedAt">When.</param>
/// <param name="AppliedTo">The person's number after the approved change (a new one when a correction required it).</param>
/// <param name="Resident">The person's record after the approved change, in the answer to an approval.</param>
public sealed record ProposalResponse(
    string Id,
    string PersonalIdNumber,
    string ProvinceCode,
    string Kind,
    IReadOnlyList<string> Fields,
    ProposedDeathResponse? Death,
    ProposedAmendmentResponse? Amendment,
    OfficialResponse ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset ExpiresAt,
    string Status,
    OfficialResponse? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? AppliedTo,
    ResidentResponse? Resident)
{
    /// <summary>The response for <paramref name="proposal"/>, with the record <paramref name="applied"/> produced when given.</summary>
    public static ProposalResponse From(Proposal proposal, Changed? applied = null)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var change = proposal.Change;
        return new(proposal.Id, proposal.PersonalIdNumber.Value, proposal.ProvinceCode, change.Death is not null ? "death" : "amendment",
            FourEyes.FieldsOf(change),
            change.Death is { } death ? new ProposedDeathResponse(death.Date, death.Place, death.DocumentReference) : null,
            change.Amendment is { } amendment
                ? new ProposedAmendmentResponse(amendment.Reason, amendment.DocumentReference, amendment.Changes.ToDictionary(field => field.Field, field => field.Value))
                : null,
            OfficialResponse.From(change.Proposer), proposal.ProposedAt, proposal.ExpiresAt,
            proposal.Status.ToString().ToLowerInvariant(),
            proposal.DecidedBy is { } decider ? OfficialResponse.From(decider) : null, proposal.DecidedAt,
            proposal.AppliedTo?.Value,
            applied is null ? null : ResidentResponse.From(applied.Resident, applied.Version));
    }
}

/// <summary>An open proposal in a province's list.</summary>
/// <param name="Id">The proposal's id.</param>
/// <param name="PersonalIdNumber">The person's number when proposed.</param>
/// <param name="Kind"><c>death</c> or <c>amendment</c>.</param>
/// <param name="Fields">The fields the change touches.</param>
/// <param name="ProposedById">The proposer's id.</param>
/// <param name="ProposedByRole">The proposer's role.</param>
/// <param name="ProposedAt">When proposed.</param>
/// <param name="ExpiresAt">When it can no longer be approved.</param>
public sealed record OpenProposalResponse(
    string Id, string PersonalIdNumber, string Kind, IReadOnlyList<string> Fields, string ProposedById, string ProposedByRole,
    DateTimeOffset ProposedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>The response for <paramref name="proposal"/>.</summary>
    public static OpenProposalResponse From(OpenProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return new(proposal.Id, proposal.PersonalIdNumber.Value, proposal.Kind, proposal.Fields, proposal.ProposedById,
            Enum.TryParse<ActorRole>(proposal.ProposedByRole, out var role) ? ActorClaims.RoleName(role) : proposal.ProposedByRole,
            proposal.ProposedAt, proposal.ExpiresAt);
    }
}

/// <summary>A province's open proposals.</summary>
/// <param name="ProvinceCode">The province.</param>
/// <param name="Proposals">Its open proposals, oldest first.</param>
public sealed record OpenProposalsResponse(string ProvinceCode, IReadOnlyList<OpenProposalResponse> Proposals);
