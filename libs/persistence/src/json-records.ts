/**
 * The rows of a JSON array parameter (`$1`, say) as a table with `columns`,
 * sized for the planner as groups of a few rows.
 *
 * `jsonb_to_recordset` tells the planner it returns 100 rows whatever it is
 * given. Joined to a table of a few thousand rows (a new deployment's, or a
 * surge's), that made hash joins that read the whole table, where looking up
 * each of the 1 to 50 rows a service writes at a time by index reads a few
 * pages. `unnest` of an array the planner cannot see is sized at 10 rows.
 */
export function jsonRecords(parameter: string, columns: string): string {
  return `(SELECT record.* FROM unnest(ARRAY(SELECT jsonb_array_elements(${parameter}::jsonb))) AS item(document),
    jsonb_to_record(item.document) AS record(${columns}))`;
}
