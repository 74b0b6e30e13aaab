// The CommonJS typings (index.d.cts) in the same Node-only project.
import { withAuth } from '@authwire/axios';
import { createTokenManager, memoryStore } from '@authwire/core';
import { authHooks } from '@authwire/ky';
import { norce } from '@authwire/norce';
import { oracleCommerce } from '@authwire/oracle-commerce';

export const used = [withAuth, createTokenManager, memoryStore, authHooks, norce, oracleCommerce];
