using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Provinces;
using Registry.Database.Cards;
using Registry.Domain;
using Registry.Domain.Access;
using Registry.Domain.Identity.Cards;
using Registry.Domain.Residents;

namespace Registry.Api.Cards;

/// <summary>
/// A province's due and overdue cards on a day (issue 12, part 6; Law 26/2023 Art. 19 and 21):
/// <c>GET /provinces/{code}/cards/due?list=&amp;on=&amp;within=</c>. Three lists, chosen by <c>list</c>, because each
/// is worked by its own desk and in its own order, and each pages on its own key: people turning 14 without a card
/// (youngest first), cards expiring in the window (soonest first), cards expired and not replaced (most overdue first).
/// </summary>
public static class CardsDueApi
{
    /// <summary>Default and largest page.</summary>
    private const int DefaultLimit = 100, MaxLimit = 1000;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapCardsDueApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/provinces").WithTags("Identity cards")
            .MapGet("/{code}/cards/due", GetAsync)
            .WithName("GetCardsDue")
            .RequireAuthorization(RegistryPolicies.Read)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A province's cards due on a day: first cards from 14, renewals coming up, cards expired and not replaced")
            .WithDescription("list: firstCard (living residents of the province who turn 14 on or before on + within days and never had a card; " +
                             "youngest first), expiring (issued cards of the province whose last valid day is from on to on + within; soonest " +
                             "first) or expired (the province's cards past their last valid day before on, neither renewed nor revoked; most " +
                             $"overdue first). on: a day (yyyy-MM-dd, Vietnam's calendar), today when omitted; within: 0 to {CardsDue.MaxWithinDays} " +
                             $"days, {CardsDue.DefaultWithinDays} when omitted. A card's province is the office that took its application. Paged: " +
                             "pass a page's next as after to read the following one. Officers of the province and central administrators, " +
                             $"stating a purpose in {PurposeHeaders.Code} and {PurposeHeaders.Note}.");
        return endpoints;
    }

    private static async Task<Results<Ok<CardsDuePage>, RefusalProblem>> GetAsync(
        string code, string? list, string? on, string? within, string? after, int? limit, HttpContext context, CardsDueLists lists, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (Readers.RefusalFor(actor, PersonalDataKind.ProvinceDetail) is { } never)
        {
            return context.RefuseRead(never);
        }

        var errors = new FieldErrors();
        errors.Add("code", code is { Length: 3 } && code.All(char.IsAsciiDigit) ? null : "A province code has 3 digits, e.g. 001.");
        CardDueList? which = list is not null && CardsDue.ListNames.TryGetValue(list, out var named) ? named : null;
        errors.Add("list", which is null ? $"The list is one of {string.Join(", ", CardsDue.ListNames.Keys)}." : null);
        var day = VietnamCalendar.Today(time);
        errors.Add("on", on is null || DateOnly.TryParseExact(on, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            ? null : "The day is a date written yyyy-MM-dd, e.g. 2026-12-07; today in Vietnam when omitted.");
        var days = CardsDue.DefaultWithinDays;
        errors.Add("within", within is null || int.TryParse(within, NumberStyles.None, CultureInfo.InvariantCulture, out days)
            ? CardsDue.WithinError(days) : CardsDue.WithinError(-1));
        CardDueCursor? from = null;
        if (after is not null && which is { } ofList)
        {
            errors.Add("after", CardsDue.TryParseCursor(ofList, after, out from, out var error) ? null : error);
        }

        errors.Add("limit", limit is null or (>= 1 and <= MaxLimit) ? null : $"The page size is 1 to {MaxLimit}; {DefaultLimit} when omitted.");
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        if (ProvincesApi.RefusalOf(code) is { } unknown)
        {
            return RequestProblems.For(unknown);
        }

        if (Readers.RefusalFor(actor, PersonalDataKind.ProvinceDetail, code) is { } elsewhere)
        {
            return context.RefuseRead(elsewhere);
        }

        var page = await lists.ListAsync(which!.Value, code, day, days, from, limit ?? DefaultLimit, cancellationToken);
        var audit = context.Audit();
        foreach (var entry in page.Entries)
        {
            audit.Touch(entry.Holder.Value, PersonalDataReads.FieldsOf<CardDueResponse>());
        }

        return TypedResults.Ok(new CardsDuePage(code, CardsDue.NameOf(which.Value), day, days,
            [.. page.Entries.Select(static entry => CardDueResponse.From(entry))], page.Next?.ToString()));
    }
}

/// <summary>A page of a province's due list.</summary>
/// <param name="ProvinceCode">The province.</param>
/// <param name="List">firstCard, expiring or expired.</param>
/// <param name="On">The day asked about.</param>
/// <param name="Within">The window's days after it.</param>
/// <param name="Entries">The page: at most <c>limit</c> entries, fewer (even none) on the first-card list where most people of the stretch read hold cards.</param>
/// <param name="Next">The value of <c>after</c> for the next page; null on the last. Follow it until null, not until a short page.</param>
public sealed record CardsDuePage(string ProvinceCode, string List, DateOnly On, int Within, CardDueResponse[] Entries, string? Next);

/// <summary>A person on a due list.</summary>
/// <param name="PersonalIdNumber">Their number.</param>
/// <param name="FullName">Their name.</param>
/// <param name="BirthDate">Their birth date.</param>
/// <param name="TurnsFourteenOn">On the first-card list, the day they turn 14: a card is compulsory from then on.</param>
/// <param name="DocumentNumber">On the other lists, the card due for renewal or expired.</param>
/// <param name="ExpiresOn">Its last valid day (expired from the next day on Vietnam's calendar).</param>
public sealed record CardDueResponse(string PersonalIdNumber, string FullName, DateOnly BirthDate, DateOnly? TurnsFourteenOn, string? DocumentNumber, DateOnly? ExpiresOn)
{
    /// <summary>The response of <paramref name="entry"/>.</summary>
    public static CardDueResponse From(CardDue entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Holder.Value, entry.FullName, entry.BirthDate,
            entry.DocumentNumber is null ? CardsDue.CompulsoryFrom(entry.BirthDate) : null, entry.DocumentNumber, entry.ExpiresOn);
    }
}
