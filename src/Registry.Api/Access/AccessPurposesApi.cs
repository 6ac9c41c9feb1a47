using Registry.Domain.Access;

namespace Registry.Api.Access;

/// <summary><c>GET /access-purposes</c>: the published list of purposes a request may state.</summary>
public static class AccessPurposesApi
{
    /// <summary>One purpose as published: its code, what it covers, and whether it is hidden from the person for a time.</summary>
    public sealed record AccessPurposeResponse(string Code, string Description, bool Covert);

    /// <summary>Maps the list; it is public, like the API reference, so that integrators read it before they hold a token.</summary>
    public static IEndpointRouteBuilder MapAccessPurposesApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/access-purposes", () => TypedResults.Ok(AccessPurposes.All.Select(purpose =>
                new AccessPurposeResponse(purpose.Code, purpose.Description, purpose.Covert))))
            .AllowAnonymous()
            .WithTags("Access")
            .WithName("ListAccessPurposes")
            .WithSummary($"The purposes a request may state in {PurposeHeaders.Code}, with a note in {PurposeHeaders.Note}.");
        return routes;
    }
}
