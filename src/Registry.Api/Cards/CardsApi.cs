using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Domain;
using Registry.Domain.Access;
using Registry.Domain.Identity.Cards;
using Registry.Domain.Residents;

namespace Registry.Api.Cards;

/// <summary>
/// Identity cards (issue 12; Law on Identification 26/2023): applications (a first card, a renewal, a replacement, all
/// with a reason), the card's steps (production, issue, loss report, revocation), reading a card. Every step goes through
/// the holder's citizen grain, which keeps at most one card of the person valid. Officers act for their own province.
/// </summary>
public static class CardsApi
{
    private const string Steps =
        "Officers act on cards of their own province (the holder's permanent residence when applied for), central administrators on all. " +
        "A step the card's state does not allow is 409 naming the state (errors.state), and changes nothing. The Idempotency-Key identifies the step: " +
        "repeating it has the effect of one.";

    /// <summary>Maps the card endpoints.</summary>
    public static IEndpointRouteBuilder MapCardsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/residents").WithTags("Identity cards").RequireClusterConnection()
            .MapPost("/{personalIdNumber}/card-applications", ApplyAsync)
            .WithName("ApplyForCard")
            .RequireAuthorization(RegistryPolicies.Write)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Apply for a person's identity card: a first card, a renewal or a replacement")
            .WithDescription("reason: firstCard (compulsory from 14; below 14 only through a parent or guardian named in parentOrGuardian, who must be " +
                             "the person's mother, father or guardian in the record), ageMilestone (renewal at 14, 25, 40, 60), lost (after the card was reported " +
                             "lost), damaged, changeOfData, administrativeReorganisation. One open application per person (409); none for a dead person (409). " +
                             "Answers 201 with the card applied for and its new document number. " + Steps);

        var cards = endpoints.MapGroup("/cards").WithTags("Identity cards").RequireClusterConnection();
        cards.MapGet("/{documentNumber}", GetAsync)
            .WithName("GetCard")
            .RequireAuthorization(RegistryPolicies.Read)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read an identity card: holder, state (an issued card past its expiry reads expired), issue and expiry")
            .WithDescription("Officials read the cards of the people they read (Readers) and state a purpose in " + PurposeHeaders.Code + " and " +
                             PurposeHeaders.Note + "; a citizen reads their own cards. Partners verify (POST /card-verifications) and read nothing else.");
        cards.MapGet("/{documentNumber}/face", GetFaceAsync)
            .WithName("GetCardFace")
            .RequireAuthorization(RegistryPolicies.Read)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The card's machine-readable zone (ICAO 9303 TD1) and QR code text, composed from the registry's record of the card, to print")
            .WithDescription("mrz: the three 30-character lines; qr: the QR code's text (null when the name or address holds a '|', which its format " +
                             "cannot carry). The holder's data are those the card printed, recorded when it was produced. Known from the card's issue (the " +
                             "face carries the issue date and expiry): 409 naming the state before. Read by whoever reads the card (GET /cards/{documentNumber}).");
        cards.MapPost("/imports", ImportAsync)
            .WithName("ImportCard")
            .RequireAuthorization(RegistryPolicies.Administer)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Import a chip card issued before 1 July 2024 as the holder's current card, valid until its printed expiry (Law 26/2023 Art. 46)")
            .WithDescription("Central administrators. documentNumber: the nine digits of the card's machine-readable zone; personalIdNumber: the holder; " +
                             "issuedOn: before 2024-07-01; expiresOn: the printed expiry, or doesNotExpire true for a card printed without one. 400 naming the " +
                             "field for an issue date on or after 2024-07-01, an unknown or dead holder, a holder with a valid card, a number another card " +
                             "has, an expired card. Answers 201 with the card. The Idempotency-Key identifies the import: repeating it has the effect of one.");
        MapStep(cards, "production", CardStepKind.Production, "ProduceCard", "Record that an applied-for card was made");
        MapStep(cards, "issue", CardStepKind.Issue, "IssueCard",
            "Hand a produced card to its holder: it becomes their current card and the card it replaces is revoked. issuedOn (default today, not before " +
            "the birth nor in the future) sets its expiry by Law 26/2023 Art. 21");
        MapStep(cards, "loss-report", CardStepKind.LossReport, "ReportCardLost", "Report an issued card lost; a replacement is applied for with reason lost");
        MapStep(cards, "revocation", CardStepKind.Revocation, "RevokeCard", "Revoke a card or close an application, stating why in reason");
        return endpoints;
    }

    private static void MapStep(RouteGroupBuilder cards, string path, CardStepKind step, string name, string summary) =>
        cards.MapPost($"/{{documentNumber}}/{path}",
                ([FromRoute] string documentNumber, [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey, CardStepRequest? request,
                    ClaimsPrincipal user, IClusterClient cluster, HttpContext context, TimeProvider time) =>
                    StepAsync(documentNumber, step, idempotencyKey, request, user, cluster, context, time))
            .WithName(name)
            .RequireAuthorization(RegistryPolicies.Write)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary(summary)
            .WithDescription(Steps);

    private static async Task<Results<Created<CardResponse>, RefusalProblem>> ApplyAsync(
        string personalIdNumber,
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        CardApplicationRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpContext context,
        TimeProvider time)
    {
        var errors = new FieldErrors();
        errors.Add("personalIdNumber", PersonalIdNumber.TryParse(personalIdNumber, out var number, out var numberError) ? null : numberError);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        var reason = CardApplications.ParseReason(request.Reason);
        errors.Add("reason", reason is null
            ? $"The reason is one of {string.Join(", ", Enum.GetValues<CardReason>().Where(reason => reason != CardReason.Imported).Select(CardApplications.NameOf))}." : null);
        var guardian = default(PersonalIdNumber);
        errors.Add("parentOrGuardian", request.ParentOrGuardian is null || PersonalIdNumber.TryParse(request.ParentOrGuardian, out guardian, out var guardianError)
            ? null : guardianError);
        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        context.Audit().Touch(number.Value, [ResidentFields.IdentityCard]);
        var command = new ApplyForCard(idempotencyKey!, user.ToActor(), reason!.Value, request.ParentOrGuardian is null ? null : guardian);
        return await cluster.Citizen(number).ApplyForCardAsync(command) switch
        {
            CardChanged changed => TypedResults.Created($"/cards/{changed.Card.DocumentNumber}", CardResponse.From(changed.Card, time.GetUtcNow())),
            CardRefused refused => RequestProblems.For(refused.Refusal),
            var other => throw new InvalidOperationException($"Unknown card outcome {other.GetType().Name}."),
        };
    }

    private static async Task<Results<Ok<CardResponse>, RefusalProblem>> StepAsync(
        string documentNumber, CardStepKind step, string? idempotencyKey, CardStepRequest? request,
        ClaimsPrincipal user, IClusterClient cluster, HttpContext context, TimeProvider time)
    {
        var errors = new FieldErrors();
        errors.Add("documentNumber", DocumentNumber.TryParse(documentNumber, out var number, out var numberError) ? null : numberError);
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        if (await cluster.IdentityCard(number).GetAsync() is not { } card)
        {
            return NotFound(number);
        }

        context.Audit().Touch(card.Holder.Value, [ResidentFields.IdentityCard]);
        var command = new ChangeCard(idempotencyKey!, user.ToActor(), number, step) { IssuedOn = request?.IssuedOn, Reason = request?.Reason };
        return await cluster.Citizen(card.Holder).ChangeCardAsync(command) switch
        {
            CardChanged changed => TypedResults.Ok(CardResponse.From(changed.Card, time.GetUtcNow())),
            CardRefused refused => RequestProblems.For(refused.Refusal),
            var other => throw new InvalidOperationException($"Unknown card outcome {other.GetType().Name}."),
        };
    }

    private static async Task<Results<Ok<CardResponse>, RefusalProblem>> GetAsync(
        string documentNumber, ClaimsPrincipal user, IClusterClient cluster, HttpContext context, TimeProvider time)
    {
        var (card, holder, refused) = await ReadableCardAsync(documentNumber, user, cluster, context, time);
        if (refused is not null)
        {
            return refused;
        }

        context.Audit().Touch(holder!, PersonalDataReads.FieldsOf<CardResponse>());
        return TypedResults.Ok(CardResponse.From(card!, time.GetUtcNow()));
    }

    // The card, when the actor may read its holder (Readers; an official states a purpose), or the refusal.
    private static async Task<(IdentityCard? Card, string? Holder, RefusalProblem? Refused)> ReadableCardAsync(
        string documentNumber, ClaimsPrincipal user, IClusterClient cluster, HttpContext context, TimeProvider time)
    {
        var actor = user.ToActor();
        if (Readers.RefusalFor(actor, PersonalDataKind.Record) is { } never)
        {
            return (null, null, context.RefuseRead(never));
        }

        var errors = new FieldErrors();
        errors.Add("documentNumber", DocumentNumber.TryParse(documentNumber, out var number, out var numberError) ? null : numberError);
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return (null, null, context.RefuseInvalid(errors.ToArray()));
        }

        // Whether a number names a card is told only to whoever may read its holder: everyone else gets 403 either way.
        var card = await cluster.IdentityCard(number).GetAsync();
        var holder = card is null ? null : await cluster.Citizen(card.Holder).GetAsync();
        if (holder is null)
        {
            return (null, null, actor.Role == Contracts.Access.ActorRole.CentralAdministrator ? NotFound(number)
                : context.RefuseRead("Only whoever may read a card's holder learns whether a document number names a card."));
        }

        context.Audit().Touch(holder.PersonalIdNumber.Value, []);
        if (Readers.RefusalFor(actor, PersonFacts.Of(holder, VietnamCalendar.Today(time))) is { } refusal)
        {
            return (null, null, context.RefuseRead(refusal));
        }

        return (card, holder.PersonalIdNumber.Value, null);
    }

    private static async Task<Results<Ok<CardFaceResponse>, RefusalProblem>> GetFaceAsync(
        string documentNumber, ClaimsPrincipal user, IClusterClient cluster, HttpContext context, TimeProvider time)
    {
        var (card, holder, refused) = await ReadableCardAsync(documentNumber, user, cluster, context, time);
        if (refused is not null)
        {
            return refused;
        }

        if (CardFaces.Of(card!) is not { } face)
        {
            var state = CardLifecycle.NameOf(CardLifecycle.StateAt(card!, time.GetUtcNow()));
            return RequestProblems.For(new Refusal(RefusalKind.Conflict, "The card has no face to compose yet.",
                [new FieldError("state", card!.IssuedOn is null
                    ? $"Card {card.DocumentNumber} is {state}: its face carries its issue date and expiry, known from its issue."
                    : $"Card {card.DocumentNumber} was produced before the registry recorded what cards print.")]));
        }

        context.Audit().Touch(holder!, PersonalDataReads.FieldsOf<CardFaceResponse>()
            .Concat([ResidentFields.FullName, ResidentFields.BirthDate, ResidentFields.Sex, ResidentFields.PermanentAddress]));
        var zone = MachineReadableZone.For(face);
        return TypedResults.Ok(new CardFaceResponse(card!.DocumentNumber.Value, [zone.Line1, zone.Line2, zone.Line3], CardFaces.QrOf(face)?.ToString()));
    }

    private static async Task<Results<Created<CardResponse>, RefusalProblem>> ImportAsync(
        [FromHeader(Name = RequestProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        CardImportRequest request,
        ClaimsPrincipal user,
        IClusterClient cluster,
        HttpContext context,
        TimeProvider time)
    {
        var errors = new FieldErrors();
        errors.Add("idempotencyKey", RegistrationRules.CheckIdempotencyKey(idempotencyKey));
        var number = default(DocumentNumber);
        errors.Add("documentNumber", DocumentNumber.TryParse(request.DocumentNumber, out number, out var numberError) ? null : numberError);
        var holder = default(PersonalIdNumber);
        errors.Add("personalIdNumber", PersonalIdNumber.TryParse(request.PersonalIdNumber, out holder, out var holderError) ? null : holderError);
        errors.Add("issuedOn", request.IssuedOn is null ? "The issue date printed on the card is required (yyyy-MM-dd)." : null);
        errors.Add("expiresOn", (request.ExpiresOn, request.DoesNotExpire) switch
        {
            (null, not true) => "The expiry printed on the card is required (yyyy-MM-dd), or doesNotExpire true for a card printed without one.",
            (not null, true) => "A card with a printed expiry does expire: give expiresOn or doesNotExpire, not both.",
            _ => null,
        });
        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        context.Audit().Touch(holder.Value, [ResidentFields.IdentityCard]);
        var command = new ImportCard(idempotencyKey!, user.ToActor(), number, request.IssuedOn!.Value, request.ExpiresOn);
        return await cluster.Citizen(holder).ImportCardAsync(command) switch
        {
            CardChanged changed => TypedResults.Created($"/cards/{changed.Card.DocumentNumber}", CardResponse.From(changed.Card, time.GetUtcNow())),
            CardRefused refused => RequestProblems.For(refused.Refusal),
            var other => throw new InvalidOperationException($"Unknown card outcome {other.GetType().Name}."),
        };
    }

    /// <summary>The 404 of a document number no card has.</summary>
    internal static RefusalProblem NotFound(DocumentNumber number) =>
        RequestProblems.For(new Refusal(RefusalKind.NotFound, "No card has this document number.",
            [new FieldError("documentNumber", $"Document number {number} names no card.")]));
}

/// <summary>Body of <c>POST /residents/{n}/card-applications</c>.</summary>
/// <param name="Reason">firstCard, ageMilestone, lost, damaged, changeOfData or administrativeReorganisation.</param>
/// <param name="ParentOrGuardian">For a person below 14: the 12-digit number of the parent or guardian applying.</param>
public sealed record CardApplicationRequest(string? Reason, string? ParentOrGuardian = null);

/// <summary>Body of a card's step; optional.</summary>
/// <param name="IssuedOn">For an issue: the day (yyyy-MM-dd); today when absent.</param>
/// <param name="Reason">For a revocation: why.</param>
public sealed record CardStepRequest(DateOnly? IssuedOn = null, string? Reason = null);

/// <summary>Body of <c>POST /cards/imports</c>: a chip card issued before 1 July 2024, as printed.</summary>
/// <param name="DocumentNumber">The nine digits of the card's machine-readable zone.</param>
/// <param name="PersonalIdNumber">The holder's 12-digit number.</param>
/// <param name="IssuedOn">The printed issue date (yyyy-MM-dd), before 2024-07-01.</param>
/// <param name="ExpiresOn">The printed expiry (yyyy-MM-dd); absent with <paramref name="DoesNotExpire"/>.</param>
/// <param name="DoesNotExpire">True for a card printed without an expiry ("không thời hạn").</param>
public sealed record CardImportRequest(string? DocumentNumber, string? PersonalIdNumber, DateOnly? IssuedOn, DateOnly? ExpiresOn = null, bool? DoesNotExpire = null);

/// <summary>What a card prints in machine-readable form, composed from the registry's record of it.</summary>
/// <param name="DocumentNumber">The card's number.</param>
/// <param name="Mrz">The machine-readable zone's three lines of 30 characters (ICAO 9303 TD1).</param>
/// <param name="Qr">The text of the QR code; null when the name or address holds a '|', which its format cannot carry.</param>
public sealed record CardFaceResponse(string DocumentNumber, IReadOnlyList<string> Mrz, string? Qr);

/// <summary>An identity card as the API shows it.</summary>
/// <param name="DocumentNumber">Its 9-character number.</param>
/// <param name="PersonalIdNumber">The holder's number when it was applied for.</param>
/// <param name="ProvinceCode">The province that took the application.</param>
/// <param name="Reason">Why it was applied for.</param>
/// <param name="State">applied, produced, issued, expired, reportedLost or revoked, judged now on Vietnam's date.</param>
/// <param name="AppliedOn">The day of the application.</param>
/// <param name="IssuedOn">The day of issue; null before.</param>
/// <param name="ExpiresOn">The last valid day; null before issue and for a card that does not expire.</param>
/// <param name="RevocationReason">Why it was revoked; null unless revoked.</param>
public sealed record CardResponse(
    string DocumentNumber, string PersonalIdNumber, string ProvinceCode, string Reason, string State,
    DateOnly AppliedOn, DateOnly? IssuedOn, DateOnly? ExpiresOn, string? RevocationReason)
{
    /// <summary>The response for <paramref name="card"/> at <paramref name="now"/>.</summary>
    public static CardResponse From(IdentityCard card, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new(card.DocumentNumber.Value, card.Holder.Value, card.ProvinceCode, CardApplications.NameOf(card.Reason),
            CardLifecycle.NameOf(CardLifecycle.StateAt(card, now)), card.AppliedOn, card.IssuedOn, card.ExpiresOn, card.RevocationReason);
    }
}
