-- Chip cards issued before 1 July 2024 (Law 26/2023 Art. 46(1): valid until their printed expiry) are imported with the
-- number they carry in their machine-readable zone: nine digits. 0022 admitted only the registry's own numbers (a series
-- letter, the province's two digits, six serial digits), so the check admits both forms now. The two never meet: every
-- number the allocators hand out begins with a letter, every imported one with a digit (DocumentNumber.IsFromBefore2024).
-- A check constraint change only, validated against the rows already there (all of the first form).
ALTER TABLE registry.identity_card DROP CONSTRAINT IF EXISTS identity_card_document_number_check;
ALTER TABLE registry.identity_card ADD CONSTRAINT identity_card_document_number_check
    CHECK (document_number ~ '^([A-HJ-NP-Z][0-9]{8}|[0-9]{9})$');
