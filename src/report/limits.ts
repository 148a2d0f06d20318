// Display limits of the report, in UTF-16 units.

/** Longest value shown in a diff or a table cell; longer ones end in `…`. */
export const MAX_VALUE_CHARS = 200
/** Longest free text (an error, a note, a restart line) shown in the summary. */
export const MAX_TEXT_CHARS = 2000
