using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Database.Residents;
using Registry.Domain;
using Registry.Domain.Access;

namespace Registry.Api.Residents;

/// <summary><c>GET /residents</c>: search people in the read model by name, birth year and province.</summary>
public static class ResidentSearchEndpoint
{
    private static readonly Dictionary<string, (string Description, bool IsInteger)> Parameters = new(StringComparer.Ordinal)
    {
        ["name"] = ("The start of the full name, with or without accents, any case, e.g. \"nguyen thi a\" for Nguyễn Thị Ánh. " +
                    "At least 2 letters unless a province is given.", false),
        ["birthYear"] = ("Only people born in this year, e.g. 1987.", true),
        ["province"] = ("Only people whose permanent residence is in this province: one of the 63 codes, e.g. 079.", false),
        ["limit"] = ($"Page size, 1 to {ResidentQuery.MaxLimit}; {ResidentQuery.DefaultLimit} when omitted.", true),
        ["after"] = ("The 'next' value of the previous page, to get the page after it.", false),
    };

    /// <summary>Maps <c>GET</c> on the group's own path (<c>/residents</c>) to the search.</summary>
    public static RouteGroupBuilder MapResidentSearch(this RouteGroupBuilder residents)
    {
        ArgumentNullException.ThrowIfNull(residents);
        residents.MapGet("", SearchAsync)
            .WithName("SearchResidents")
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Search people by the start of their name, birth year and province of residence")
            .WithDescription("Names match without accents or case: \"nguyen thi a\" finds \"Nguyễn Thị Ánh\". Give a name of at least 2 letters, " +
                             "a province, or both. Results are ordered by name, then number, one page at a time; follow 'next' for the next page " +
                             "(absent on the last). Numbers replaced by a corrected one are left out; people who died are listed with alive = false. " +
                             "Reads the read model; the registry acknowledges a change only once it is there, so an acknowledged change is found at once. " +
                             "A provincial officer finds only the people whose permanent or temporary residence is in their province or whose birth was " +
                             "registered there; a central administrator finds everyone; other roles may not search (403). The caller states a purpose in " +
                             $"the headers {PurposeHeaders.Code} and {PurposeHeaders.Note} (400 without one).")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The numbers are bound as text so that a bad one is refused naming its field; the document still says they are numbers.
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    if (parameter.Name is { } name && Parameters.TryGetValue(name, out var described))
                    {
                        parameter.Description = described.Description;
                        if (described.IsInteger)
                        {
                            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" };
                        }
                    }
                }

                return Task.CompletedTask;
            });
        return residents;
    }

    private static async Task<Results<Ok<ResidentSearchResponse>, RefusalProblem>> SearchAsync(
        [FromQuery] string? name,
        [FromQuery] string? birthYear,
        [FromQuery] string? province,
        [FromQuery] string? limit,
        [FromQuery] string? after,
        HttpContext context,
        ResidentDirectory directory,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (Readers.RefusalFor(actor, PersonalDataKind.Search) is { } refusal)
        {
            return context.RefuseRead(refusal);
        }

        var errors = new List<FieldError>();
        var year = Number(birthYear, "birthYear", "A birth year is a number, e.g. 1987.", errors);
        var size = Number(limit, "limit", "The page size is a number, 1 to 100.", errors) ?? ResidentQuery.DefaultLimit;
        // An empty parameter (?province=) means the caller did not choose one.
        var query = new ResidentQuery(name, year, string.IsNullOrEmpty(province) ? null : province, size, string.IsNullOrEmpty(after) ? null : after);
        errors.AddRange(query.Validate().Where(error => errors.All(known => known.Field != error.Field)));
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose);
        }

        if (errors.Count > 0)
        {
            return context.RefuseInvalid(errors);
        }

        // An officer's search is a search among their people, in SQL: pages and cursors never pass through anyone else.
        var jurisdiction = Readers.LimitedTo(actor) is { } own ? new SearchJurisdiction(own, VietnamCalendar.Today(time)) : null;
        var page = await directory.SearchAsync(query, jurisdiction, cancellationToken);
        var listings = page.Residents.Select(ResidentListing.From).ToArray();
        var audit = context.Audit();
        foreach (var listing in listings)
        {
            audit.Touch(listing.PersonalIdNumber, PersonalDataReads.FieldsOf<ResidentListing>());
        }

        return TypedResults.Ok(new ResidentSearchResponse(listings, page.Next));
    }

    /// <summary>The number in <paramref name="text"/>, null when absent; a refusal of <paramref name="field"/> when it is not one.</summary>
    private static int? Number(string? text, string field, string message, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new FieldError(field, $"{message} Got '{text}'."));
        return null;
    }
}

/// <summary>One page of <c>GET /residents</c>.</summary>
/// <param name="Residents">The people of this page, by name then number.</param>
/// <param name="Next">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record ResidentSearchResponse(IReadOnlyList<ResidentListing> Residents, string? Next);

/// <summary>A person as a search lists them.</summary>
public sealed record ResidentListing(
    string PersonalIdNumber,
    string FullName,
    DateOnly BirthDate,
    string Sex,
    string BirthRegistrationProvince,
    string PermanentResidenceProvince,
    bool Alive)
{
    /// <summary>The listing of <paramref name="resident"/>.</summary>
    public static ResidentListing From(ResidentSummary resident)
    {
        ArgumentNullException.ThrowIfNull(resident);
        return new(
            resident.PersonalIdNumber.Value,
            resident.FullName,
            resident.BirthDate,
            resident.Sex == Contracts.Residents.Sex.Female ? "female" : "male",
            resident.BirthRegistrationProvince,
            resident.PermanentResidenceProvince,
            resident.Alive);
    }
}
