-- The search index again, smaller and answering every prefix typed from its own index. It keeps no
-- word positions (detail = none): a search only asks which cases hold which words, and ranks them
-- by their folded text, which it keeps. Without positions a query word the tokenizer cut in two
-- would be refused as a phrase, so every character the folding keeps in a word (letters, digits,
-- and the marks some scripts write their vowels with) is part of a token. Prefix indexes of 1 to 7
-- letters cover every Vietnamese syllable, so the word being typed is read in case order like a
-- whole word instead of being merged from every word it starts. The servers index every case
-- again after this, as for a new database.
DROP TABLE case_search;
CREATE VIRTUAL TABLE case_search USING fts5(
    document,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'",
    prefix = '1 2 3 4 5 6 7',
    detail = none
);
