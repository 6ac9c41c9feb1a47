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
using Registry.Domain;
using Registry.Domain.Access;
using Registry.Domain.Identity.Cards;
using Registry.Domain.Residents;

namespace Registry.Api.Cards;

/// <summary>
/// What partners (banks, border control) learn of cards: whether a card — named by its number, its machine-readable zone
/// or its QR code — is valid, expired, revoked, reported lost or unknown, or whether the zone or code presented is not the
/// registry's card at all (mismatch), and if asked whether it belongs to a personal ID number — nothing else (issue 12,
/// part 7); and the revocation list, like a certificate revocation list, so that a partner can check offline. Only
/// partners whose policy allows verifications.
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
            .WithSummary("Verify an identity card by its document number, its machine-readable zone or its QR code (ministry partners): valid, expired, revoked, reportedLost, unknown or mismatch")
            .WithDescription("The card is named by one of: documentNumber (9 characters); mrz, the three 30-character lines of its machine-readable zone " +
                             "(ICAO 9303 TD1) separated by line feeds, alone; qr, the text of its QR code (7 fields separated by '|'), optionally with documentNumber. " +
                             "A zone or code that does not parse (a wrong check digit, a malformed field) is 400 naming mrz or qr. Optionally personalIdNumber: " +
                             "the answer is status and, when a number was given, belongs (true when the card was issued to that person, under the number they " +
                             "hold now or held before). A zone or code whose fields contradict the registry's card answers mismatch, and nothing else: never " +
                             "which field. No name, no dates, ever. A card applied for and not yet issued is unknown. The policy must allow verifications; " +
                             "state the purpose in " + PurposeHeaders.Code + " and " + PurposeHeaders.Note + ".");

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
        CardVerificationRequest request, ClaimsPrincipal user, HttpContext context, PartnerPolicyStore policies, CardRegister register,
        IClusterClient cluster, TimeProvider time, CancellationToken cancellationToken)
    {
        var (policy, refused) = await PartnerGate.AdmitAsync(context, user.ToActor(), policies, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var (presented, errors) = request.Read(VietnamCalendar.Today(time));
        if (presented is null)
        {
            return PartnerGate.Refuse(context, Refusal.Invalid(errors));
        }

        // The zone and the code are compared whole with the registry's card, beyond the core fields a policy gives: the
        // partner holds the card and reads what it prints, and learns only whether it is the registry's card.
        if (PartnerPolicies.AdmitVerification(policy!, []) is { } outside)
        {
            return PartnerGate.Refuse(context, outside);
        }

        var card = await CardPresentedAsync(presented, register, cluster, cancellationToken);
        var status = card is null || card.State is CardState.Applied or CardState.Produced ? CardStatus.Unknown : StatusOf(CardLifecycle.StateAt(card, time.GetUtcNow()));
        if (status != CardStatus.Unknown && (presented.Zone is not null || presented.Qr is not null))
        {
            context.Audit().Touch(card!.Holder.Value, [ResidentFields.IdentityCard, .. PrintedFields]);
            var matches = presented.Zone is { } zone ? CardFaces.Matches(card, zone) : CardFaces.Matches(card, presented.Qr!);
            if (!matches)
            {
                return TypedResults.Ok(new CardVerificationResponse(CardStatus.Mismatch, null));
            }
        }

        bool? belongs = null;
        if (presented.Claimed is { } claimed)
        {
            context.Audit().Touch(claimed.Value, [ResidentFields.IdentityCard]);
            var lineage = status == CardStatus.Unknown ? null : await cluster.Citizen(card!.Holder).GetNumbersAsync();
            belongs = lineage is not null && (lineage.Current == claimed || lineage.Previous.Contains(claimed));
        }

        return TypedResults.Ok(new CardVerificationResponse(status, belongs));
    }

    // The fields a zone or code is compared on: what the card prints of its holder.
    private static readonly string[] PrintedFields =
        [CardFields.PersonalIdNumber, CardFields.FullName, CardFields.BirthDate, CardFields.Sex, CardFields.PermanentAddress];

    // The card a request names: by its number, the number in its zone, or, for a QR code (which carries no document
    // number), the card issued to the code's holder on the code's issue date, the one whose face the code is when the
    // person received two cards that day.
    private static async Task<IdentityCard?> CardPresentedAsync(PresentedCard presented, CardRegister register, IClusterClient cluster, CancellationToken cancellationToken)
    {
        if (presented.DocumentNumber is { } number)
        {
            return await cluster.IdentityCard(number).GetAsync();
        }

        if (presented.Qr is not { } qr)
        {
            return null;
        }

        IdentityCard? found = null;
        foreach (var candidate in await register.ReadIssuedOnAsync(qr.PersonalIdNumber.Value, qr.IssueDate, cancellationToken))
        {
            if (DocumentNumber.TryParse(candidate, out var candidateNumber, out _) && await cluster.IdentityCard(candidateNumber).GetAsync() is { } card)
            {
                if (CardFaces.Matches(card, qr))
                {
                    return card;
                }

                found ??= card;
            }
        }

        return found;
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

/// <summary>Body of <c>POST /card-verifications</c>: the card by one of its number, its zone or its QR code.</summary>
/// <param name="DocumentNumber">The card's 9-character number.</param>
/// <param name="PersonalIdNumber">Optionally, the 12-digit number the card is claimed to belong to.</param>
/// <param name="Mrz">The card's machine-readable zone: three lines of 30 characters separated by line feeds.</param>
/// <param name="Qr">The text of the card's QR code.</param>
public sealed record CardVerificationRequest(string? DocumentNumber, string? PersonalIdNumber = null, string? Mrz = null, string? Qr = null)
{
    /// <summary>What the request presents, or every field that is missing, malformed or given with one it excludes.</summary>
    /// <param name="today">Today in Vietnam, against which the zone's two-digit years are read.</param>
    public (PresentedCard? Presented, FieldError[] Errors) Read(DateOnly today)
    {
        var errors = new List<FieldError>();
        if (DocumentNumber is null && Mrz is null && Qr is null)
        {
            errors.Add(new FieldError("documentNumber", "Name the card: its documentNumber, its machine-readable zone in mrz, or its QR code's text in qr."));
        }

        if (Mrz is not null && (DocumentNumber is not null || Qr is not null))
        {
            errors.Add(new FieldError("mrz", "The zone carries the card's number: send mrz alone (with personalIdNumber if asked), without documentNumber or qr."));
        }

        var number = default(Contracts.Cards.DocumentNumber?);
        if (DocumentNumber is not null)
        {
            number = Contracts.Cards.DocumentNumber.TryParse(DocumentNumber, out var parsed, out var numberError) ? parsed : null;
            errors.AddRange(numberError is null ? [] : [new FieldError("documentNumber", numberError)]);
        }

        MachineReadableZone? zone = null;
        if (Mrz is not null && !MachineReadableZone.TryParse(Mrz, today, out zone, out var zoneErrors, "mrz"))
        {
            errors.AddRange(zoneErrors);
        }

        CardQrPayload? qr = null;
        if (Qr is not null && !CardQrPayload.TryParse(Qr, out qr, out var qrErrors, "qr"))
        {
            errors.AddRange(qrErrors);
        }

        var claimed = default(Contracts.Identity.PersonalIdNumber?);
        if (PersonalIdNumber is not null)
        {
            claimed = Contracts.Identity.PersonalIdNumber.TryParse(PersonalIdNumber, out var parsed, out var claimedError) ? parsed : null;
            errors.AddRange(claimedError is null ? [] : [new FieldError("personalIdNumber", claimedError)]);
        }

        if (errors.Count > 0)
        {
            return (null, [.. errors]);
        }

        // A zone's number the registry could not have given (a series letter I or O) names no card: unknown, not a 400,
        // since the zone itself is well formed.
        if (zone is not null)
        {
            number = Contracts.Cards.DocumentNumber.TryParse(zone.DocumentNumber, out var zoned, out _) ? zoned : null;
        }

        return (new PresentedCard(number, zone, qr, claimed), []);
    }
}

/// <summary>A card as a verification presents it, parsed.</summary>
/// <param name="DocumentNumber">The card's number, given or read from its zone; null when the request names the card by its QR code only.</param>
/// <param name="Zone">The zone presented, if any.</param>
/// <param name="Qr">The QR code presented, if any.</param>
/// <param name="Claimed">The number the card is claimed to belong to, if asked.</param>
public sealed record PresentedCard(DocumentNumber? DocumentNumber, MachineReadableZone? Zone, CardQrPayload? Qr, PersonalIdNumber? Claimed);

/// <summary>The answer of a card verification, and nothing else.</summary>
/// <param name="Status">valid, expired, revoked, reportedLost, unknown, or mismatch for a zone or QR code that is not the registry's card.</param>
/// <param name="Belongs">Whether the card was issued to the number asked about; absent when none was asked, and on a mismatch.</param>
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

    /// <summary>
    /// The zone or QR code presented contradicts the registry's card: not the card the registry issued under that number
    /// (altered, forged, or another card's). Which field is never said.
    /// </summary>
    Mismatch = 5,
}

/// <summary>One entry of the revocation list.</summary>
/// <param name="Position">Ask for entries after the last one held.</param>
/// <param name="DocumentNumber">The card.</param>
/// <param name="Kind">cardRevoked or cardReportedLost.</param>
/// <param name="RecordedAt">When.</param>
public sealed record CardRevocationResponse(long Position, string DocumentNumber, string Kind, DateTimeOffset RecordedAt);
