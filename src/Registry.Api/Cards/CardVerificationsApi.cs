using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Api.Partners;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Database.Cards;
using Registry.Database.Partners;
using Registry.Domain.Access;
using Registry.Domain.Identity.Cards;
using Registry.Domain.Residents;

namespace Registry.Api.Cards;

/// <summary>
/// What partners (banks, border control) learn of cards: whether a card is valid, expired, revoked, reported lost or
/// unknown, and if asked whether it belongs to a personal ID number — nothing else (issue 12, part 7); and the revocation
/// list, like a certificate revocation list, so that a partner can check offline. Only partners whose policy allows
/// verifications.
/// </summary>
public static class CardVerificationsApi
{
    /// <summary>Maps the verification and revocation list endpoints.</summary>
    public static IEndpointRouteBuilder MapCardVerificationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/card-verifications").WithTags("Identity cards").RequireClusterConnection()
            .MapPost("", VerifyAsync)
            .RequirePartner()
            .AuditsPersonalData()
            .WithName("VerifyCard")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Verify an identity card by its document number (ministry partners): valid, expired, revoked, reportedLost or unknown")
            .WithDescription("documentNumber (9 characters) and optionally personalIdNumber: the answer is status and, when a number was given, belongs " +
                             "(true when the card was issued to that person, under the number they hold now or held before). Nothing else: no name, no dates. " +
                             "A card applied for and not yet issued is unknown. The policy must allow verifications; state the purpose in " +
                             PurposeHeaders.Code + " and " + PurposeHeaders.Note + ".");

        endpoints.MapGet("/card-revocations", RevocationsAsync).WithTags("Identity cards")
            .RequirePartner()
            .WithName("ListCardRevocations")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Cards revoked or reported lost since a position: the revocation list a partner keeps to check offline")
            .WithDescription("after: the position of the last entry held (0 for the whole list); limit 1–1000 (default 100). Each entry: position, " +
                             "documentNumber, kind (cardRevoked or cardReportedLost), recordedAt. Positions are those of GET /events. The policy must allow verifications.");
        return endpoints;
    }

    private static async Task<Results<Ok<CardVerificationResponse>, RefusalProblem>> VerifyAsync(
        CardVerificationRequest request, ClaimsPrincipal user, HttpContext context, PartnerPolicyStore policies, IClusterClient cluster,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (policy, refused) = await PartnerGate.AdmitAsync(context, user.ToActor(), policies, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var errors = new FieldErrors();
        errors.Add("documentNumber", DocumentNumber.TryParse(request.DocumentNumber, out var number, out var numberError) ? null : numberError);
        var claimed = default(PersonalIdNumber);
        errors.Add("personalIdNumber", request.PersonalIdNumber is null || PersonalIdNumber.TryParse(request.PersonalIdNumber, out claimed, out var claimedError)
            ? null : claimedError);
        if (errors.Any)
        {
            return PartnerGate.Refuse(context, Refusal.Invalid(errors.ToArray()));
        }

        if (PartnerPolicies.AdmitVerification(policy!, []) is { } outside)
        {
            return PartnerGate.Refuse(context, outside);
        }

        var card = await cluster.IdentityCard(number).GetAsync();
        var status = card is null || card.State is CardState.Applied or CardState.Produced ? CardStatus.Unknown : StatusOf(CardLifecycle.StateAt(card, time.GetUtcNow()));
        bool? belongs = null;
        if (request.PersonalIdNumber is not null)
        {
            context.Audit().Touch(claimed.Value, [ResidentFields.IdentityCard]);
            var lineage = status == CardStatus.Unknown ? null : await cluster.Citizen(card!.Holder).GetNumbersAsync();
            belongs = lineage is not null && (lineage.Current == claimed || lineage.Previous.Contains(claimed));
        }

        return TypedResults.Ok(new CardVerificationResponse(status, belongs));
    }

    private static async Task<Results<Ok<CardRevocationResponse[]>, RefusalProblem>> RevocationsAsync(
        long? after, int? limit, ClaimsPrincipal user, HttpContext context, PartnerPolicyStore policies, CardRegister register, CancellationToken cancellationToken)
    {
        var (policy, refused) = await PartnerGate.AdmitAsync(context, user.ToActor(), policies, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var errors = new FieldErrors();
        errors.Add("after", after is < 0 ? "after is a position, 0 or more." : null);
        errors.Add("limit", limit is < 1 or > 1000 ? "limit is 1 to 1000." : null);
        if (errors.Any)
        {
            return PartnerGate.Refuse(context, Refusal.Invalid(errors.ToArray()));
        }

        if (PartnerPolicies.AdmitVerification(policy!, []) is { } outside)
        {
            return PartnerGate.Refuse(context, outside);
        }

        var entries = await register.ReadRevocationsAsync(after ?? 0, limit ?? 100, cancellationToken);
        return TypedResults.Ok(entries.Select(entry => new CardRevocationResponse(
            entry.Position, entry.DocumentNumber, PartnerPolicies.NameOf(entry.Kind), entry.RecordedAt)).ToArray());
    }

    private static CardStatus StatusOf(CardState state) => state switch
    {
        CardState.Issued => CardStatus.Valid,
        CardState.Expired => CardStatus.Expired,
        CardState.Revoked => CardStatus.Revoked,
        CardState.ReportedLost => CardStatus.ReportedLost,
        _ => CardStatus.Unknown,
    };
}

/// <summary>Body of <c>POST /card-verifications</c>.</summary>
/// <param name="DocumentNumber">The card's 9-character number.</param>
/// <param name="PersonalIdNumber">Optionally, the 12-digit number the card is claimed to belong to.</param>
public sealed record CardVerificationRequest(string? DocumentNumber, string? PersonalIdNumber = null);

/// <summary>The answer of a card verification, and nothing else.</summary>
/// <param name="Status">valid, expired, revoked, reportedLost or unknown.</param>
/// <param name="Belongs">Whether the card was issued to the number asked about; absent when none was asked.</param>
public sealed record CardVerificationResponse(
    CardStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Belongs);

/// <summary>What a verification says of a card.</summary>
public enum CardStatus
{
    /// <summary>Issued and not past its expiry.</summary>
    Valid = 0,

    /// <summary>Past its expiry.</summary>
    Expired = 1,

    /// <summary>Revoked.</summary>
    Revoked = 2,

    /// <summary>Reported lost by its holder.</summary>
    ReportedLost = 3,

    /// <summary>No issued card has this number.</summary>
    Unknown = 4,
}

/// <summary>One entry of the revocation list.</summary>
/// <param name="Position">Ask for entries after the last one held.</param>
/// <param name="DocumentNumber">The card.</param>
/// <param name="Kind">cardRevoked or cardReportedLost.</param>
/// <param name="RecordedAt">When.</param>
public sealed record CardRevocationResponse(long Position, string DocumentNumber, string Kind, DateTimeOffset RecordedAt);
