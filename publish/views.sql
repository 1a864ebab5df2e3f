-- The network's questions as DuckDB views over finsam's tables (see docs/DATA.md).
-- {low_confidence} is filled in from models/fields.py.

-- Per federation, year and measure: the comparison figures side by side.
CREATE OR REPLACE VIEW federation_year AS
WITH wide AS (
    SELECT federation_id, any_value(federation_name) AS federation_name, year, measure,
           max(value) FILTER (WHERE figure = 'member_contributions') AS member_contributions,
           max(value) FILTER (WHERE figure = 'total_income') AS total_income,
           max(value) FILTER (WHERE figure = 'total_costs') AS total_costs,
           max(value) FILTER (WHERE figure = 'cost_administration') AS cost_administration,
           max(value) FILTER (WHERE figure = 'cost_board') AS cost_board,
           max(value) FILTER (WHERE figure = 'cost_individual') AS cost_individual,
           max(value) FILTER (WHERE figure = 'cost_structural') AS cost_structural,
           max(value) FILTER (WHERE figure = 'result') AS result,
           max(value) FILTER (WHERE figure = 'closing_equity') AS closing_equity,
           max(value) FILTER (WHERE figure = 'participants') AS participants,
           string_agg(figure, ', ' ORDER BY figure) FILTER (WHERE uncertain) AS uncertain_figures
    FROM figures
    GROUP BY federation_id, year, measure
), grouped AS (
    SELECT *,
           -- plans often book the board under administration: either alone still counts
           CASE WHEN cost_administration IS NULL AND cost_board IS NULL THEN NULL
                ELSE coalesce(cost_administration, 0) + coalesce(cost_board, 0) END AS cost_admin_board
    FROM wide
), shares AS (
    SELECT *, nullif(coalesce(cost_admin_board, 0) + coalesce(cost_individual, 0)
                     + coalesce(cost_structural, 0), 0) AS allocated
    FROM grouped
)
SELECT federation_id, federation_name, year, measure,
       member_contributions, total_income, total_costs,
       cost_admin_board, cost_individual, cost_structural,
       round(100 * cost_admin_board / allocated, 1) AS share_admin_board,
       round(100 * cost_individual / allocated, 1) AS share_individual,
       round(100 * cost_structural / allocated, 1) AS share_structural,
       result, closing_equity,
       round(100 * closing_equity / nullif(member_contributions, 0), 1) AS equity_share_of_contributions,
       CAST(participants AS BIGINT) AS participants,
       uncertain_figures
FROM shares
ORDER BY federation_id, year, CASE measure WHEN 'outcome' THEN 0 WHEN 'budget' THEN 1
                                           WHEN 'plan' THEN 2 ELSE 3 END;

-- The budget for year Y next to the outcome for Y, per figure.
CREATE OR REPLACE VIEW budget_vs_outcome AS
SELECT b.federation_id, b.federation_name, b.year, b.figure,
       b.value AS budget, o.value AS outcome, o.value - b.value AS deviation,
       round(100 * (o.value - b.value) / nullif(abs(b.value), 0), 1) AS deviation_percent,
       b.document_type AS budget_document_type,
       b.document_id AS budget_document_id, o.document_id AS outcome_document_id,
       b.uncertain OR o.uncertain AS uncertain
FROM figures b
JOIN figures o ON o.federation_id = b.federation_id AND o.year = b.year AND o.figure = b.figure
WHERE b.measure = 'budget' AND o.measure = 'outcome'
ORDER BY b.federation_id, b.year, b.figure;

-- Per document: what in its data a person should look at.
CREATE OR REPLACE VIEW data_quality AS
SELECT d.document_id, d.source_file, d.federation_id, d.document_type, d.period_year, d.status,
       coalesce(d.facts, 0) AS facts,
       (SELECT count(*) FROM validation v WHERE v.document_id = d.document_id) AS checks,
       (SELECT count(*) FROM validation v WHERE v.document_id = d.document_id AND v.status = 'fail')
           AS checks_failed,
       (SELECT count(*) FROM validation v WHERE v.document_id = d.document_id AND v.status = 'corrected')
           AS values_corrected,
       (SELECT count(*) FROM facts f WHERE f.document_id = d.document_id
                                      AND f.confidence < {low_confidence}) AS values_low_confidence,
       coalesce(d.ocr_pages, 0) AS ocr_pages,
       d.error
FROM documents d
ORDER BY d.source_file, d.document_id;
