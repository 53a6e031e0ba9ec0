-- one database per service: services never share tables
CREATE DATABASE counselling;
CREATE DATABASE training;
CREATE DATABASE stakeholders;
CREATE DATABASE fair_integration;
CREATE DATABASE reporting;
