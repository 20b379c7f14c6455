-- Each case's text folded for search (see domain::search: no diacritics, đ as d, lower case),
-- under the case's id as rowid. The tokenizer only splits the folded words; the prefix indexes
-- answer the first letters of a word typed so far.
CREATE VIRTUAL TABLE case_search USING fts5(document, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3');
