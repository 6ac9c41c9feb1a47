namespace Registry.Api.Partners;

/// <summary>Ministry partners: their policies, verification and eKYC (the events they receive are in <c>Events/</c>).</summary>
public static class PartnersHosting
{
    /// <summary>Maps the partner policies, <c>POST /verifications</c> and <c>POST /ekyc</c>.</summary>
    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPartnerPoliciesApi().MapVerificationsApi().MapEkycApi();
}
