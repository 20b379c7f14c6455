-- Each case's text folded for search (see domain::search: no diacritics, đ as d, lower case).
-- The 'simple' configuration only splits the folded words: no stemming, no stop words.
CREATE TABLE case_search (
    case_id  BIGINT PRIMARY KEY REFERENCES cases (id),
    document TSVECTOR NOT NULL
);

CREATE INDEX case_search_by_document ON case_search USING GIN (document);
