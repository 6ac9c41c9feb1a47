using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>
/// Chip cards issued before 1 July 2024 are imported with their printed expiry and stay valid until then (Law 26/2023
/// Art. 46(1)); an import the law or the person's record does not allow is a 400 naming the field.
/// </summary>
public sealed class CardImportsTests
{
    // 10:00 on 1 March 2026 in Vietnam.
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Actor Administrator = new("admin", ActorRole.CentralAdministrator, null);
    private static readonly ResidentRecord Person = new(
        PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Female, new DateOnly(1990, 5, 17)), 42), "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17),
        Sex.Female, "079", "079", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        PermanentAddress = "12 Lê Lợi, Phường Bến Thành",
        Hometown = "Huế",
    };

    /// <summary>The issue date before 1 July 2024 and not before the birth; a printed expiry after the issue and not past; a nine-digit number.</summary>
    [Theory]
    [InlineData("090000042", "2021-04-01", "2030-05-17", null)]
    [InlineData("090000042", "2024-06-30", "2030-05-17", null)]
    [InlineData("090000042", "2021-04-01", null, null)]
    [InlineData("090000042", "2024-07-01", "2030-05-17", "issuedOn")]
    [InlineData("090000042", "2025-01-01", "2030-05-17", "issuedOn")]
    [InlineData("090000042", "1990-05-16", "2030-05-17", "issuedOn")]
    [InlineData("090000042", "2021-04-01", "2026-02-28", "expiresOn")]
    [InlineData("090000042", "2021-04-01", "2021-04-01", "expiresOn")]
    [InlineData("A79000042", "2021-04-01", "2030-05-17", "documentNumber")]
    public void An_import_is_of_a_card_from_before_the_law_still_valid(string number, string issuedOn, string? expiresOn, string? refusedField)
    {
        var refusal = CardImports.RefusalFor(Import(number, issuedOn, expiresOn), Person, PersonCards.None, Now);

        Assert.Equal(refusedField, refusal?.Errors.Select(error => error.Field).Distinct().Single());
        Assert.True(refusal is null || refusal.Kind == RefusalKind.Invalid);
    }

    /// <summary>An unknown person, a dead one, one holding a valid card: 400 naming personalIdNumber. A card held but expired does not stand in the way.</summary>
    [Fact]
    public void The_holder_is_known_alive_and_without_a_valid_card()
    {
        var import = Import("090000042", "2021-04-01", "2030-05-17");
        var valid = CardImports.Imported(Import("090000041", "2021-04-01", "2030-05-17"), Person, Now);
        var expired = valid with { ExpiresOn = new DateOnly(2026, 2, 28) };
        var dead = Person with { Death = new DeathRecord(new DateOnly(2026, 1, 1), "Huế", "KT-1") };

        Assert.Equal("personalIdNumber", CardImports.RefusalFor(import, null, PersonCards.None, Now)!.Errors.Single().Field);
        Assert.Equal("personalIdNumber", CardImports.RefusalFor(import, dead, PersonCards.None, Now)!.Errors.Single().Field);
        Assert.Equal("personalIdNumber", CardImports.RefusalFor(import, Person, new PersonCards { Current = valid }, Now)!.Errors.Single().Field);
        Assert.Null(CardImports.RefusalFor(import, Person, new PersonCards { Current = expired }, Now));
    }

    /// <summary>Only central administrators import.</summary>
    [Fact]
    public void Only_administrators_import()
    {
        var officer = new Actor("officer-079", ActorRole.ProvincialOfficer, "079");
        var refusal = CardImports.RefusalFor(Import("090000042", "2021-04-01", "2030-05-17") with { Actor = officer }, Person, PersonCards.None, Now);

        Assert.Equal(RefusalKind.Forbidden, refusal!.Kind);
    }

    /// <summary>
    /// The imported card is issued with the printed expiry, not the one the law would give a card issued that day (40th
    /// birthday 2030-05-17; printed 2029-01-31), is valid through that day in Vietnam and expired from the next, and prints the record as it is.
    /// </summary>
    [Fact]
    public void An_imported_card_expires_at_its_printed_date()
    {
        var card = CardImports.Imported(Import("090000042", "2021-04-01", "2029-01-31"), Person, Now);

        Assert.Equal((CardState.Issued, CardReason.Imported, new DateOnly(2021, 4, 1)), (card.State, card.Reason, card.IssuedOn!.Value));
        Assert.Equal(new DateOnly(2029, 1, 31), card.ExpiresOn);
        Assert.True(CardLifecycle.IsValidAt(card, new DateTimeOffset(2029, 1, 31, 16, 59, 59, TimeSpan.Zero)));
        Assert.Equal(CardState.Expired, CardLifecycle.StateAt(card, new DateTimeOffset(2029, 1, 31, 17, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new PrintedHolder("Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "12 Lê Lợi, Phường Bến Thành", "Huế"), card.Printed);
        Assert.True(CardImports.IsImportOf(card, Import("090000042", "2021-04-01", "2029-01-31"), Person));
        Assert.False(CardImports.IsImportOf(card, Import("090000042", "2021-04-01", "2029-01-31") with { IdempotencyKey = "other" }, Person));
    }

    private static ImportCard Import(string number, string issuedOn, string? expiresOn)
    {
        Assert.True(DocumentNumber.TryParse(number, out var documentNumber, out var error), error);
        return new ImportCard("import-1", Administrator, documentNumber, Date(issuedOn), expiresOn is null ? null : Date(expiresOn));
    }

    private static DateOnly Date(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
